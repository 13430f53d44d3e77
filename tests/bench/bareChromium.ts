/**
 * Debian Chromium driven over a bare DevTools pipe (--remote-debugging-pipe), for benches that
 * move many bytes from the page.
 *
 * Why not Playwright here: Playwright enables the Network domain on every page, and Chromium then
 * copies every request body into its DevTools events (Network.requestWillBeSent carries postData
 * plus base64 postDataEntries: 2.3× the body as JSON, measured). For a 100 MB photo backlog that is
 * ~230 MB of JSON serialised by the browser and parsed in the bench's process, which also runs the
 * server: on 2 cores it was a quarter of the CPU during the run, for the app and the raw limit
 * alike. A tablet has no DevTools attached. This driver enables only what it uses (Runtime, Page,
 * Profiler), so the fetches cost what they cost on a tablet.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM_ARGS, CHROMIUM_PATH, removeAtExit } from '../e2e/harness';

type Json = Record<string, unknown>;

export interface BarePage {
  send<T = Json>(method: string, params?: Json): Promise<T>;
  /** Evaluate an expression in the page, awaiting a promise; returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  goto(url: string): Promise<void>;
}

export interface BareBrowser {
  newPage(viewport?: { width: number; height: number }): Promise<BarePage>;
  close(): Promise<void>;
  /** The browser process's pid (its renderers and utilities run under it), for CPU accounting. */
  pid?: number;
}

/** `removeProfileAtExit`: the profile dir goes when this process exits, not at close (see removeAtExit). */
export async function launchBareChromium(opts: { removeProfileAtExit?: boolean } = {}): Promise<BareBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'walkaround-bare-chromium-'));
  const proc: ChildProcess = spawn(CHROMIUM_PATH, [...CHROMIUM_ARGS, '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  const toChrome = proc.stdio[3] as Writable;
  const fromChrome = proc.stdio[4] as Readable;
  let nextId = 1;
  const pending = new Map<number, { ok: (v: Json) => void; fail: (e: Error) => void }>();
  let buffered: Buffer[] = [];
  fromChrome.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let end = chunk.indexOf(0, start); end !== -1; end = chunk.indexOf(0, start)) {
      buffered.push(chunk.subarray(start, end));
      const msg = JSON.parse(Buffer.concat(buffered).toString('utf8')) as { id?: number; result?: Json; error?: { message: string } };
      buffered = [];
      start = end + 1;
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.fail(new Error(msg.error.message));
        else p?.ok(msg.result ?? {});
      }
    }
    if (start < chunk.length) buffered.push(chunk.subarray(start));
  });
  const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
  exited.then(() => {
    for (const p of pending.values()) p.fail(new Error('chromium exited'));
  });

  function send<T>(method: string, params: Json = {}, sessionId?: string): Promise<T> {
    const id = nextId++;
    toChrome.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    return new Promise<T>((ok, fail) => pending.set(id, { ok: ok as (v: Json) => void, fail }));
  }

  return {
    pid: proc.pid,
    async newPage(viewport) {
      const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
      const page: BarePage = {
        send: (method, params) => send(method, params, sessionId),
        async evaluate<T>(expression: string) {
          const r = await send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
            'Runtime.evaluate',
            { expression, awaitPromise: true, returnByValue: true },
            sessionId,
          );
          if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
          return r.result.value as T;
        },
        async goto(url) {
          await send('Page.navigate', { url }, sessionId);
          for (let i = 0; i < 200; i++) {
            const state = await page.evaluate<string>('location.href + " " + document.readyState').catch(() => '');
            if (state.startsWith(url) && state.endsWith('complete')) return;
            await new Promise((r) => setTimeout(r, 50));
          }
          throw new Error(`page did not load ${url}`);
        },
      };
      await send('Page.enable', {}, sessionId);
      if (viewport) await send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 2, mobile: true }, sessionId);
      return page;
    },
    async close() {
      await send('Browser.close').catch(() => undefined);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      if (opts.removeProfileAtExit) removeAtExit(profile);
      else rmSync(profile, { recursive: true, force: true });
    },
  };
}
