/**
 * The tablet's vehicle index (issue 11), stored compactly: 50,000 cars must fit in a few MB and a
 * plate prefix must answer in milliseconds on a slow tablet.
 *
 * Storage: every pulled page is ONE row of `vehicleChunks` (keyed by the page's cursor): its
 * vehicles packed as text (one line per vehicle, tab-separated fields, no key names repeated)
 * and gzip-compressed where the browser has CompressionStream (plain text otherwise). A page and
 * the index cursor are written in one transaction (src/sync/pullVehicles.ts resumes from it).
 * A vehicle changed later appears again in a later chunk; the newest seq wins when the chunks are
 * read. Past MAX_CHUNKS chunks, the next page rewrites them all as one (old versions dropped).
 *
 * Lookups: the chunks are read and unpacked once into memory (a map by id and a sorted list of
 * plate and VIN keys), then a prefix is a binary search. The in-memory copy is rebuilt when the
 * set of chunks changed (another page, another tab): checking that reads only their keys.
 */
import type { WalkaroundDB } from './db';
import { writeDevice } from './device';
import type { VehicleIndexEntry } from '../model/vehicle/schema';

export interface VehicleChunk {
  cursor: number;
  count: number;
  gz: boolean;
  data: ArrayBuffer | string;
}

const MAX_CHUNKS = 64;
const clean = (s: string) => s.replace(/[\t\n\r]/g, ' ');

function packOne(v: VehicleIndexEntry): string {
  return [
    v.id,
    v.seq,
    v.vin ?? '',
    v.plate,
    v.plates.join(','),
    v.make,
    v.model,
    v.year ?? '',
    v.colour,
    v.customer.name,
    v.customer.salutation,
    v.customer.mobile,
    v.lastVisitAt,
    v.lastOdometerKm ?? '',
    v.lastIntakeId,
    v.visits,
  ]
    .map((x) => clean(String(x)))
    .join('\t');
}

function unpackOne(line: string): VehicleIndexEntry | null {
  const f = line.split('\t');
  if (f.length < 16) return null;
  const num = (s: string | undefined) => (s ? Number(s) : null);
  return {
    id: f[0]!,
    seq: Number(f[1]),
    vin: f[2] || null,
    plate: f[3]!,
    plates: f[4] ? f[4].split(',') : [],
    make: f[5]!,
    model: f[6]!,
    year: num(f[7]),
    colour: f[8]!,
    customer: { name: f[9]!, salutation: f[10]!, mobile: f[11]! },
    lastVisitAt: f[12]!,
    lastOdometerKm: num(f[13]),
    lastIntakeId: f[14]!,
    visits: Number(f[15]),
  };
}

const canGzip = () => typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<ArrayBuffer> {
  const body = new Response(bytes as BodyInit).body;
  if (!body) throw new Error('no body stream');
  return new Response(body.pipeThrough(stream)).arrayBuffer();
}

/** Pack and (where possible) compress: done BEFORE the transaction (nothing slow inside it). */
export async function packChunk(cursor: number, rows: VehicleIndexEntry[]): Promise<VehicleChunk> {
  const text = rows.map(packOne).join('\n');
  if (!canGzip()) return { cursor, count: rows.length, gz: false, data: text };
  return { cursor, count: rows.length, gz: true, data: await pipe(new TextEncoder().encode(text), new CompressionStream('gzip')) };
}

async function unpackChunk(c: VehicleChunk): Promise<VehicleIndexEntry[]> {
  const text = c.gz ? new TextDecoder().decode(await pipe(new Uint8Array(c.data as ArrayBuffer), new DecompressionStream('gzip'))) : (c.data as string);
  const out: VehicleIndexEntry[] = [];
  for (const line of text.split('\n')) {
    const v = line ? unpackOne(line) : null;
    if (v) out.push(v);
  }
  return out;
}

export interface LoadedIndex {
  byId: Map<string, VehicleIndexEntry>;
  /** [key, id] sorted by key: every plate a car carried, and its VIN. */
  keys: [string, string][];
}

const cache = new WeakMap<WalkaroundDB, { stamp: string; index: LoadedIndex }>();

function build(all: VehicleIndexEntry[]): LoadedIndex {
  const byId = new Map<string, VehicleIndexEntry>();
  for (const v of all) {
    const had = byId.get(v.id);
    if (!had || had.seq < v.seq) byId.set(v.id, v);
  }
  const keys: [string, string][] = [];
  for (const v of byId.values()) {
    for (const p of v.plates) keys.push([p, v.id]);
    if (v.vin) keys.push([v.vin, v.id]);
  }
  keys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { byId, keys };
}

/** The index in memory, read from the chunks again only when they changed. */
export async function loadIndex(db: WalkaroundDB): Promise<LoadedIndex> {
  const stamp = (await db.vehicleChunks.toCollection().primaryKeys()).join(',');
  const hit = cache.get(db);
  if (hit && hit.stamp === stamp) return hit.index;
  const chunks = await db.vehicleChunks.orderBy('cursor').toArray();
  const rows = (await Promise.all(chunks.map(unpackChunk))).flat();
  const index = build(rows);
  cache.set(db, { stamp, index });
  return index;
}

/** Vehicles with a key (plate or VIN) starting with `prefix`, at most `limit` distinct. */
export function prefixMatches(index: LoadedIndex, prefix: string, limit: number): VehicleIndexEntry[] {
  const { keys } = index;
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((keys[mid]![0]) < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out = new Map<string, VehicleIndexEntry>();
  for (let i = lo; i < keys.length && out.size < limit; i++) {
    const [k, id] = keys[i]!;
    if (!k.startsWith(prefix)) break;
    const v = index.byId.get(id);
    if (v) out.set(id, v);
  }
  return [...out.values()];
}

/** Store one pulled page and the index cursor in one transaction. */
export async function putVehiclePage(db: WalkaroundDB, rows: VehicleIndexEntry[], cursor: number): Promise<void> {
  const existing = await db.vehicleChunks.count();
  let merged: VehicleChunk | null = null;
  if (rows.length && existing >= MAX_CHUNKS) {
    const index = await loadIndex(db);
    merged = await packChunk(cursor, [...build([...index.byId.values(), ...rows]).byId.values()]);
  }
  const chunk = rows.length && !merged ? await packChunk(cursor, rows) : null;
  await db.transaction('rw', [db.vehicleChunks, db.kv], async () => {
    if (merged) {
      await db.vehicleChunks.clear();
      await db.vehicleChunks.put(merged);
    } else if (chunk) await db.vehicleChunks.put(chunk);
    await writeDevice('vehicleCursor', cursor, db);
  });
}
