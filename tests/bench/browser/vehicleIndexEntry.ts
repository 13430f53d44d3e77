/**
 * Runs INSIDE Chromium on the product server's origin (tests/bench/vehicleIndex.ts): a new
 * tablet's first sync of the vehicle index through the app's own code (pullVehicles over
 * createSyncApi into a fresh WalkaroundDB), the index's size on the tablet, and plate-prefix
 * lookups through the store's findVehicles. Exposes window.__vehicleBench.
 */
import { useDatabase as switchDatabase, WalkaroundDB } from '../../../src/store/db';
import { findVehicles } from '../../../src/store/vehicleHistory';
import { loadIndex } from '../../../src/store/vehicleIndex';
import { pullVehicles } from '../../../src/sync/pullVehicles';
import { createSyncApi } from '../../../src/sync/syncApi';

let db: WalkaroundDB | null = null;
let token = '';

async function signIn(creds: { dealership: string; username: string; password: string }): Promise<void> {
  const r = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...creds, deviceName: 'bench tablet' }) });
  if (!r.ok) throw new Error(`login ${r.status}: ${await r.text()}`);
  token = ((await r.json()) as { token: string }).token;
}

async function usage(): Promise<number> {
  return (await navigator.storage.estimate()).usage ?? 0;
}

/** First sync of the index on a new tablet (fresh database): ms, rows, pages, wire bytes. */
async function firstSync(): Promise<{ ms: number; rows: number; requests: number; wireBytes: number; usageBefore: number }> {
  const usageBefore = await usage();
  db = new WalkaroundDB(`bench-vehicles-${crypto.randomUUID()}`);
  switchDatabase(db);
  await db.open();
  let requests = 0;
  let wireBytes = 0;
  const counting: typeof fetch = async (input, init) => {
    requests++;
    const r = await fetch(input, init);
    wireBytes += Number(r.headers.get('content-length') ?? 0);
    return r;
  };
  const api = createSyncApi({ fetch: counting, auth: () => ({ token, actingStaffId: null }) });
  const t0 = performance.now();
  const rows = await pullVehicles({ db, api });
  return { ms: performance.now() - t0, rows, requests, wireBytes, usageBefore };
}

/** What the index takes on the tablet: the storage estimate's growth, the stored chunks' bytes,
 *  and the same vehicles as JSON (for comparison); `loadMs`: reading them into memory once. */
async function size(usageBefore: number): Promise<{ usageDelta: number; storedBytes: number; jsonBytes: number; rows: number; chunks: number; loadMs: number }> {
  if (!db) throw new Error('sync first');
  const chunks = await db.vehicleChunks.toArray();
  const storedBytes = chunks.reduce((n, c) => n + (typeof c.data === 'string' ? c.data.length * 2 : c.data.byteLength), 0);
  const t0 = performance.now();
  const index = await loadIndex(db);
  const loadMs = performance.now() - t0;
  const rows = [...index.byId.values()];
  const jsonBytes = new TextEncoder().encode(JSON.stringify(rows)).length;
  return { usageDelta: (await usage()) - usageBefore, storedBytes, jsonBytes, rows: rows.length, chunks: chunks.length, loadMs };
}

/** Plate-prefix lookups as the advisor types them: ms per lookup, matches of the last one. */
async function lookups(prefixes: string[]): Promise<{ ms: number[]; found: number[] }> {
  const ms: number[] = [];
  const found: number[] = [];
  for (const p of prefixes) {
    const t0 = performance.now();
    const r = await findVehicles(p);
    ms.push(performance.now() - t0);
    found.push(r.length);
  }
  return { ms, found };
}

export interface VehicleBenchApi {
  signIn: typeof signIn;
  firstSync: typeof firstSync;
  size: typeof size;
  lookups: typeof lookups;
}

(window as unknown as { __vehicleBench: VehicleBenchApi }).__vehicleBench = { signIn, firstSync, size, lookups };
