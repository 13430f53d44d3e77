/**
 * The real server as a child process (`node --import tsx src/server/main.ts`) on PGlite, for
 * crash tests: start, wait for /api/health, SIGKILL, restart on the same data and blob dirs.
 * The data dir is pre-filled from the PGlite template so a start costs seconds, not initdb.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgliteTemplate } from './backends';

const ROOT = resolve(import.meta.dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

export async function prepareDataDir(dir: string): Promise<void> {
  const p = new PGlite(dir, { loadDataDir: await pgliteTemplate() });
  await p.waitReady;
  await p.close();
}

export interface Child {
  proc: ChildProcess;
  baseUrl: string;
  output(): string;
  kill(): Promise<void>;
}

export async function startChild(dir: string, port: number): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'pglite'),
      BLOB_DIR: join(dir, 'blobs'),
      STATIC_DIR: join(dir, 'no-dist'),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      RATE_LIMIT_MAX: '1000000',
      LOGIN_RATE_LIMIT_MAX: '1000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}:\n${out}`);
    const ok = await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    proc,
    baseUrl,
    output: () => out,
    kill: () =>
      new Promise<void>((ok) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return ok();
        proc.once('exit', () => ok());
        proc.kill('SIGKILL');
      }),
  };
}
