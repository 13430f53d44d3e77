/**
 * Shared parts of the server benchmarks: a real server in its own process listening on loopback
 * (rate limiting off) on PGlite and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, on
 * PostgreSQL (fresh schema, dropped afterwards); simulated tablets' HTTP clients; percentiles and
 * printing. Benchmarks print, never assert on time.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import http from 'node:http';
import zlib from 'node:zlib';
import type { Backend } from '../../integration/helpers/backends';
import type { Res, Transport } from '../../integration/helpers/client';

export function benchBackends(): Backend[] {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) process.env.TEST_DATABASE_URL = url;
  return url ? ['pglite', 'postgres'] : ['pglite'];
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function ms(n: number): string {
  return `${n.toFixed(1)} ms`;
}

export function line(backend: string, what: string, value: string): void {
  console.log(`${backend.padEnd(9)} ${what.padEnd(52)} ${value}`);
}

/** Run `fn` over items with at most `n` in flight. */
export async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

export interface RemoteServer {
  /** Time the server spent on each request (Fastify's elapsedTime, ms) by route, since the last call. */
  serverTimes(): Promise<Record<string, number[]>>;
  baseUrl: string;
  t: Transport;
  /** The server process's CPU time so far (user + system), in ms. */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

/** Start the bench server in a child process (see _serverProcess.ts). */
export async function startServerProcess(backend: Backend): Promise<RemoteServer> {
  const child = fork(join(import.meta.dirname, '_serverProcess.ts'), [backend], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)], env: process.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMsg = (m: unknown) => {
        if (m && typeof m === 'object' && key in m) {
          child.off('message', onMsg);
          resolve((m as Record<string, T>)[key] as T);
        }
      };
      child.on('message', onMsg);
      child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
    });
  const baseUrl = await next<string>('url');
  return {
    serverTimes() {
      const p = next<Record<string, number[]>>('timing');
      child.send('timing');
      return p;
    },
    baseUrl,
    t: tabletTransport(baseUrl),
    async cpuMs() {
      const p = next<{ user: number; system: number }>('cpu');
      child.send('cpu');
      const c = await p;
      return (c.user + c.system) / 1000;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}

/**
 * A simulated tablet's HTTP client for load benchmarks: node:http with kept-alive connections
 * (up to 6, as a browser) per transport (a tablet), asking for br/gzip like a browser does. Much cheaper per request than
 * fetch, so that 50 simulated tablets on the same 2 cores take less CPU away from the server.
 * With `summarisePulls`, a pull answer is decompressed but not parsed record by record: the body
 * is a PullSummary (cursor, more, number of intakes), as a load generator needs no more.
 */
export interface PullSummary {
  cursor: number;
  more: boolean;
  /** Intakes on the page. */
  changes: number;
}

/** What a load-generating tablet needs of a pull answer, without parsing every record in it. */
function summarisePull(text: string): PullSummary {
  const m = /"cursor":(\d+),"more":(true|false)\}$/.exec(text);
  if (!m) throw new Error(`not a pull answer: ${text.slice(0, 200)}`);
  return { cursor: Number(m[1]), more: m[2] === 'true', changes: text.split('"missingPhotos":').length - 1 };
}

export function tabletTransport(baseUrl: string, opts: { summarisePulls?: boolean } = {}): Transport {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 }); // as a browser, per host
  return (c) =>
    new Promise<Res>((resolve, reject) => {
      const headers: Record<string, string> = { 'accept-encoding': process.env.BENCH_ACCEPT_ENCODING ?? 'br, gzip', ...c.headers };
      let body: string | Buffer | undefined = c.payload;
      if (c.json !== undefined) {
        body = JSON.stringify(c.json);
        headers['content-type'] ??= 'application/json';
      }
      const req = http.request({ host: url.hostname, port: url.port, path: c.url, method: c.method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('error', reject);
        res.on('end', () => {
          const enc = res.headers['content-encoding'];
          const got = Buffer.concat(chunks);
          const raw = enc === 'br' ? zlib.brotliDecompressSync(got) : enc === 'gzip' ? zlib.gunzipSync(got) : got;
          let parsed: unknown = null;
          if (raw.length && res.statusCode === 200 && opts.summarisePulls && c.url.startsWith('/api/sync/pull')) {
            parsed = summarisePull(raw.toString('utf8'));
          } else if (raw.length && /json/.test(String(res.headers['content-type'] ?? ''))) {
            try {
              parsed = JSON.parse(raw.toString('utf8'));
            } catch {
              parsed = raw.toString('utf8');
            }
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers, raw });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
}
