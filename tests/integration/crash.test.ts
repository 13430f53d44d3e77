/**
 * Crash safety with the real server process on PGlite: SIGKILL mid-push and mid-upload, restart,
 * the client retries. Nothing acknowledged is lost, nothing is duplicated, and every stored blob's
 * bytes match its hash (no torn files). Finally SIGTERM shuts down gracefully.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demo, httpTransport, loginAs, type Tablet } from './helpers/client';
import { draft, fakeJpeg, mCreate } from './helpers/fixtures';
import { freePort, prepareDataDir, startChild, type Child } from './helpers/child';
import type { Mutation } from '../../src/shared/protocol';

function blobFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  try {
    walk(dir);
  } catch {
    /* no blob dir yet */
  }
  return out;
}

/** PUT slowly (chunks with pauses) so the server can be killed in the middle. */
function slowPut(baseUrl: string, token: string, hash: string, bytes: Buffer, onHalf: () => void): Promise<number> {
  return new Promise((ok) => {
    const u = new URL(`${baseUrl}/api/blobs/${hash}`);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg', 'content-length': bytes.length } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on('error', () => ok(-1));
    const chunk = 256 * 1024;
    let off = 0;
    const step = () => {
      if (off >= bytes.length) return req.end();
      req.write(bytes.subarray(off, off + chunk));
      off += chunk;
      if (off >= bytes.length / 2 && off - chunk < bytes.length / 2) onHalf();
      setTimeout(step, 15);
    };
    step();
  });
}

async function retryPush(baseUrl: string, tab: Tablet, batch: Mutation[]) {
  for (let i = 0; ; i++) {
    try {
      return await tab.push(batch);
    } catch (e) {
      if (i > 50) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('crash: SIGKILL mid-push and mid-upload (PGlite, real process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'walkaround-crash-'));
  let child: Child | null = null;
  afterAll(async () => {
    await child?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing acknowledged, duplicates nothing, keeps blobs whole', async () => {
    await prepareDataDir(join(dir, 'pglite'));
    const port = await freePort();
    child = await startChild(dir, port);
    const t = httpTransport(child.baseUrl);
    let tab = await loginAs(t, demo.advisor, 'crash tablet');

    // Acknowledged before any crash.
    const acked = Array.from({ length: 20 }, () => mCreate(draft()));
    expect((await tab.push(acked)).results.every((r) => r.status === 'applied')).toBe(true);

    // Crash 1: SIGKILL while a photo upload is half sent AND a push is in flight.
    const inflight: Mutation[][] = [];
    const big = fakeJpeg(6 * 1024 * 1024);
    const batch1 = Array.from({ length: 150 }, () => mCreate(draft()));
    inflight.push(batch1);
    await new Promise<void>((ok) => {
      void slowPut(child!.baseUrl, tab.token, big.hash, big.bytes, () => {
        void tab.push(batch1).catch(() => undefined);
        setTimeout(() => void child!.kill().then(ok), 30);
      });
    });
    child = await startChild(dir, port);
    const head = await tab.req('HEAD', `/api/blobs/${big.hash}`);
    expect([200, 404]).toContain(head.status); // stored whole, or not at all
    const put = await tab.putBlob(big.hash, big.bytes);
    expect([200, 201]).toContain(put.status);
    const got = await tab.req('GET', `/api/blobs/${big.hash}`);
    expect(createHash('sha256').update(got.raw).digest('hex')).toBe(big.hash);
    const res1 = await retryPush(child.baseUrl, tab, batch1);
    expect(res1.results.every((r) => r.status === 'applied' || r.status === 'duplicate')).toBe(true);

    // Crash 2: SIGKILL just after a push was sent; the tablet retries the same batch.
    const batch2 = Array.from({ length: 150 }, () => mCreate(draft()));
    inflight.push(batch2);
    const pending = tab.push(batch2).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 10));
    await child.kill();
    await pending;
    child = await startChild(dir, port);
    const res2 = await retryPush(child.baseUrl, tab, batch2);
    expect(res2.results.every((r) => r.status === 'applied' || r.status === 'duplicate')).toBe(true);

    // Everything is there exactly once.
    tab = await loginAs(httpTransport(child.baseUrl), demo.advisor, 'checker');
    const ids = new Map<string, number>();
    let cursor = 0;
    for (;;) {
      const r = await tab.pull(cursor, 500);
      for (const c of r.changes) ids.set(c.intake.id, (ids.get(c.intake.id) ?? 0) + 1);
      cursor = r.cursor;
      if (!r.more) break;
    }
    for (const m of [...acked, ...inflight.flat()]) expect(ids.get(m.intakeId)).toBe(1);
    expect(ids.size).toBe(acked.length + inflight.flat().length);
    // Replaying everything changes nothing.
    const replay = await tab.push(acked);
    expect(replay.results.every((r) => r.status === 'duplicate')).toBe(true);

    // No torn blob files: every complete file's bytes hash to its name.
    for (const f of blobFiles(join(dir, 'blobs'))) {
      const name = f.split('/').pop() as string;
      if (name.startsWith('.tmp-')) continue; // an abandoned temp file is never served
      expect(createHash('sha256').update(readFileSync(f)).digest('hex')).toBe(name);
      expect(statSync(f).size).toBeGreaterThan(0);
    }

    // Graceful shutdown on SIGTERM.
    const exited = new Promise<number | null>((ok) => child!.proc.once('exit', (code) => ok(code)));
    child.proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = null;
  }, 120_000);
});
