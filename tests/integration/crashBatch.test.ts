/**
 * Crash safety of POST /api/blobs/batch with the real server process on PGlite: SIGKILL while a
 * batch is half sent, and again while the server is storing a whole batch. After each restart
 * every photo of the batch is either held with intact bytes or missing (asked for again, never
 * held without its bytes); sending the batch again completes it; no blob file is torn.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demo, httpTransport, loginAs, type Tablet } from './helpers/client';
import { fakeJpeg } from './helpers/fixtures';
import { freePort, prepareDataDir, startChild, type Child } from './helpers/child';
import { blobPath } from '../../src/server/blobs/store';
import { BLOB_BATCH_TYPE, type BlobBatchResponse } from '../../src/shared/blobBatch';
import { encodeBlobBatch } from '../fixtures/blobBatchFrames';

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

/** POST a batch body in chunks with pauses; `onSent(fraction)` after each chunk. */
function slowPost(baseUrl: string, token: string, body: Buffer, chunk: number, pauseMs: number, onSent: (fraction: number) => void): Promise<number> {
  return new Promise((ok) => {
    const u = new URL(`${baseUrl}/api/blobs/batch`);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': BLOB_BATCH_TYPE, 'content-length': body.length } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on('error', () => ok(-1));
    let off = 0;
    const step = () => {
      if (off >= body.length) return void req.end();
      req.write(body.subarray(off, off + chunk));
      off += chunk;
      onSent(Math.min(1, off / body.length));
      setTimeout(step, pauseMs);
    };
    step();
  });
}

/** Every photo either held with intact bytes or missing; returns the missing ones. */
async function eachWholeOrMissing(tab: Tablet, photos: { hash: string; bytes: Buffer }[]): Promise<string[]> {
  const ask = await tab.req<{ missing: string[] }>('POST', '/api/blobs/missing', { hashes: photos.map((p) => p.hash) });
  expect(ask.status).toBe(200);
  for (const p of photos) {
    if (ask.body.missing.includes(p.hash)) continue;
    const got = await tab.req('GET', `/api/blobs/${p.hash}`);
    expect(got.status).toBe(200);
    expect(createHash('sha256').update(got.raw).digest('hex')).toBe(p.hash);
  }
  return ask.body.missing;
}

describe('crash: SIGKILL mid-batch upload (PGlite, real process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'walkaround-crash-batch-'));
  let child: Child | null = null;
  afterAll(async () => {
    await child?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a batch cut off or interrupted while stored leaves each photo whole or missing; resending completes it', async () => {
    await prepareDataDir(join(dir, 'pglite'));
    const port = await freePort();
    child = await startChild(dir, port);
    let tab = await loginAs(httpTransport(child.baseUrl), demo.advisor, 'crash batch tablet');
    const entry = (p: { hash: string; bytes: Buffer }) => ({ sha256: p.hash, type: 'image/jpeg', bytes: new Uint8Array(p.bytes) });

    // 1. Killed while the body is half sent.
    const first = Array.from({ length: 8 }, () => fakeJpeg(400_000));
    const body1 = Buffer.from(encodeBlobBatch(first.map(entry)));
    await new Promise<void>((ok) => {
      let killed = false;
      void slowPost(child!.baseUrl, tab.token, body1, 128 * 1024, 15, (f) => {
        if (f >= 0.5 && !killed) {
          killed = true;
          void child!.kill().then(ok);
        }
      });
    });
    child = await startChild(dir, port);
    tab = await loginAs(httpTransport(child.baseUrl), demo.advisor, 'crash batch tablet 2');
    expect(await eachWholeOrMissing(tab, first)).toEqual(first.map((p) => p.hash)); // nothing of a cut-off body is stored

    // 2. Killed while the server stores a whole batch: the moment the first of its files is in place.
    const second = Array.from({ length: 30 }, () => fakeJpeg(200_000));
    const body2 = Buffer.from(encodeBlobBatch(second.map(entry)));
    const sent = slowPost(child.baseUrl, tab.token, body2, body2.length, 0, () => undefined);
    let filesAtKill = 0;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      filesAtKill = second.filter((p) => existsSync(blobPath(join(dir, 'blobs'), p.hash))).length;
      if (filesAtKill > 0) break;
      await new Promise((r) => setTimeout(r, 1));
    }
    await child.kill();
    const status = await sent;
    expect(filesAtKill).toBeGreaterThan(0); // the kill came while the batch was being stored
    child = await startChild(dir, port);
    tab = await loginAs(httpTransport(child.baseUrl), demo.advisor, 'crash batch tablet 3');
    const missing = await eachWholeOrMissing(tab, second);
    if (status === 200) expect(missing).toEqual([]); // answered before the kill: all of it is durable
    // The batch's rows are one statement: all of its photos are held or none (files on disk without
    // rows are only asked for again).
    expect([0, second.length]).toContain(missing.length);

    // 3. The tablet sends what is missing again (both batches): everything arrives, once.
    const again = [...first, ...second].filter((p) => [...missing, ...first.map((f) => f.hash)].includes(p.hash));
    for (let i = 0; i < again.length; i += 16) {
      const part = again.slice(i, i + 16);
      const r = await tab.t({ method: 'POST', url: '/api/blobs/batch', payload: Buffer.from(encodeBlobBatch(part.map(entry))), headers: tab.headers({ 'content-type': BLOB_BATCH_TYPE }) });
      expect(r.status).toBe(200);
      expect((r.body as BlobBatchResponse).results.every((x) => x.status === 'stored' || x.status === 'already')).toBe(true);
    }
    expect(await eachWholeOrMissing(tab, [...first, ...second])).toEqual([]);

    // No torn blob files: every complete file's bytes hash to its name.
    for (const f of blobFiles(join(dir, 'blobs'))) {
      const name = f.split('/').pop() as string;
      if (name.startsWith('.tmp-')) continue; // an abandoned temp file is never served
      expect(createHash('sha256').update(readFileSync(f)).digest('hex')).toBe(name);
    }
  }, 180_000);
});
