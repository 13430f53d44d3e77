/**
 * Shared parts of the server benchmarks: a real server listening on loopback (rate limiting off)
 * on PGlite and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, on PostgreSQL (fresh
 * schema, dropped afterwards); percentiles and printing. Benchmarks print, never assert on time.
 */
import type { AddressInfo } from 'node:net';
import { startApp, type Backend, type TestApp } from '../../integration/helpers/backends';
import { httpTransport, type Transport } from '../../integration/helpers/client';

export function benchBackends(): Backend[] {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) process.env.TEST_DATABASE_URL = url;
  return url ? ['pglite', 'postgres'] : ['pglite'];
}

export interface BenchServer {
  env: TestApp;
  baseUrl: string;
  t: Transport;
  close(): Promise<void>;
}

export async function startBenchServer(backend: Backend): Promise<BenchServer> {
  const env = await startApp(backend, { rateLimit: false, poolSize: 20 });
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
  return { env, baseUrl, t: httpTransport(baseUrl), close: () => env.close() };
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
