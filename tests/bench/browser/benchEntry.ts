/**
 * Bench helpers that run INSIDE the browser, on the app's origin, with the app's own modules
 * (same Dexie schema, same repository code). Built by tests/bench/run.ts into a small ES
 * module and injected into an app page with a <script type="module">; exposes window.__bench.
 */
import { getDb } from '../../../src/store/db';
import { createIntake, updateSection } from '../../../src/store/intakeWrites';
import { putIntakeRecord } from '../../../src/store/summaries';
import { filterSummaries, loadSummaries } from '../../../src/store/queries';
import { newIntake } from '../../../src/model/intake/newIntake';
import { saveSession, type DeviceSession } from '../../../src/store/session';
import type { Intake } from '../../../src/model/intake/schema';
import { processAndHashPhoto } from '../../../src/photos/processPhoto';
import { capturePhoto } from '../../../src/photos/capturePhoto';
import { createCaptureQueue } from '../../../src/photos/captureQueue';

const ADVISOR = { id: 'bench-advisor', name: '王顾问' };

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function stats(samples: number[]): { n: number; p50: number; p95: number; max: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), max: s[s.length - 1] ?? NaN, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

const PROVINCES = '京沪粤浙苏川鲁豫鄂湘闽皖';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const SURNAMES = '王李张刘陈杨赵黄周吴';

/** A deterministic pseudo-random plate for row i (so a query has a known number of hits). */
export function plateOf(i: number): string {
  const p = PROVINCES[i % PROVINCES.length] as string;
  const l = LETTERS[Math.floor(i / 7) % LETTERS.length] as string;
  const n = String((i * 7919) % 100000).padStart(5, '0');
  return `${p}${l}${n}`;
}

async function seedSession(): Promise<void> {
  const s: DeviceSession = {
    token: 'bench-token',
    deviceId: 'bench-device',
    dealership: { id: 'bench-dealer', name: '演示 4S 店', slug: 'demo' },
    staff: { id: ADVISOR.id, name: ADVISOR.name, role: 'advisor' },
  };
  await saveSession(s);
}

async function createDraft(): Promise<string> {
  const i = await createIntake(ADVISOR);
  return i.id;
}

/** Store n intakes (spread over the last year, a few today), in batches, as summary + record. */
async function seedIntakes(n: number): Promise<number> {
  const db = getDb();
  const now = Date.now();
  const batch = 500;
  for (let start = 0; start < n; start += batch) {
    const rows: Intake[] = [];
    for (let i = start; i < Math.min(n, start + batch); i++) {
      const created = new Date(now - (i < 40 ? i * 60_000 : (i % 365) * 86_400_000 + (i % 1440) * 60_000));
      const it = newIntake({ advisor: ADVISOR, now: created });
      it.customer = { name: `${SURNAMES[i % SURNAMES.length]}先生${i}`, salutation: '先生', mobile: `139${String(i).padStart(8, '0')}` };
      it.vehicle = { ...it.vehicle, plate: plateOf(i), make: '大众', model: '帕萨特', vin: '' };
      it.complaint = { ...it.complaint, symptom: '冷车启动时有异响，持续约一分钟' };
      rows.push(it);
    }
    await db.transaction('rw', db.intakes, db.summaries, async () => {
      for (const r of rows) await putIntakeRecord(db, r);
    });
  }
  return db.summaries.count();
}

/** Autosave commit latency: updateSection() resolves when its transaction has committed. */
async function autosaveSamples(id: string, n: number): Promise<number[]> {
  const out: number[] = [];
  let text = '';
  const base = newIntake({ advisor: ADVISOR }).complaint;
  for (let i = 0; i < n; i++) {
    text += '发动机异响'.charAt(i % 5);
    const t0 = performance.now();
    await updateSection(id, 'complaint', { ...base, symptom: text, since: '上周', noises: '咔哒声' });
    out.push(performance.now() - t0);
  }
  return out;
}

/** The pure filter over all summary rows (what the list does on each keystroke). */
async function filterPure(query: string, reps: number): Promise<{ loadMs: number; rows: number; hits: number; ms: number[] }> {
  const t0 = performance.now();
  const rows = await loadSummaries();
  const loadMs = performance.now() - t0;
  const ms: number[] = [];
  let hits = 0;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    hits = filterSummaries(rows, 'all', query).length;
    ms.push(performance.now() - t);
  }
  return { loadMs, rows: rows.length, hits, ms };
}

/** A 12-megapixel JPEG (4000×3000) with photo-like detail, made by the browser's own encoder. */
async function makeJpeg(width = 4000, height = 3000, detailSeed = 42): Promise<ArrayBuffer> {
  const c = new OffscreenCanvas(width, height);
  const g = c.getContext('2d') as OffscreenCanvasRenderingContext2D;
  const grad = g.createLinearGradient(0, 0, width, height);
  grad.addColorStop(0, '#334455');
  grad.addColorStop(1, '#c0c8d0');
  g.fillStyle = grad;
  g.fillRect(0, 0, width, height);
  // Detail (noise-like rectangles) so the JPEG is a realistic 2–5 MB, not a flat 100 KB.
  let seed = detailSeed;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < 60000; i++) {
    g.fillStyle = `rgba(${(rnd() * 255) | 0},${(rnd() * 255) | 0},${(rnd() * 255) | 0},0.5)`;
    g.fillRect(rnd() * width, rnd() * height, 4 + rnd() * 30, 4 + rnd() * 30);
  }
  const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
  return blob.arrayBuffer();
}

/** Resize + hash (processAndHashPhoto), and the full capture incl. store + read-back verify. */
async function photoBench(reps: number, intakeId?: string): Promise<{ pipeline: string; bytes: number; ms: number[]; captureMs: number[]; out: { width: number; height: number; bytes: number } }> {
  const jpeg = await makeJpeg();
  const ms: number[] = [];
  const captureMs: number[] = [];
  let out = { width: 0, height: 0, bytes: 0 };
  for (let i = 0; i < reps; i++) {
    const file = new File([jpeg], `bench-${i}.jpg`, { type: 'image/jpeg' });
    const t0 = performance.now();
    const r = await processAndHashPhoto(file);
    ms.push(performance.now() - t0);
    out = { width: r.width, height: r.height, bytes: r.bytes.byteLength };
    if (intakeId) {
      const t1 = performance.now();
      await capturePhoto(intakeId, file);
      captureMs.push(performance.now() - t1);
    }
  }
  return { pipeline: 'src/photos/processPhoto.ts#processAndHashPhoto', bytes: jpeg.byteLength, ms, captureMs, out };
}

/**
 * A burst of `n` different 12-MP camera photos taken in a row, stored through the capture queue
 * the camera button uses (resize, hash, verified write; the next photo never waits), timed from
 * the shutter to the last photo stored; and, for comparison, the same number one after another
 * (the earlier behaviour: each photo fully stored before the next one starts).
 */
async function captureBurst(n: number, intakeId: string): Promise<{ burstMs: number; sequentialMs: number; stored: number; bytesIn: number }> {
  const files: File[][] = [];
  for (const round of [0, 1]) {
    const row: File[] = [];
    for (let i = 0; i < n; i++) row.push(new File([await makeJpeg(4000, 3000, 1000 + round * 100 + i)], `burst-${round}-${i}.jpg`, { type: 'image/jpeg' }));
    files.push(row);
  }
  let stored = 0;
  const errors: unknown[] = [];
  const q = createCaptureQueue({ intakeId: () => intakeId, onStored: () => void stored++, onError: (e) => void errors.push(e) });
  const t0 = performance.now();
  for (const f of files[0]!) q.add([f]); // one shutter press each
  await q.idle();
  const burstMs = performance.now() - t0;
  if (errors.length) throw errors[0];
  const t1 = performance.now();
  for (const f of files[1]!) await capturePhoto(intakeId, f);
  const sequentialMs = performance.now() - t1;
  return { burstMs, sequentialMs, stored, bytesIn: files[0]!.reduce((s, f) => s + f.size, 0) };
}

const api = { captureBurst, seedSession, createDraft, seedIntakes, autosaveSamples, filterPure, photoBench, makeJpeg: async () => (await makeJpeg()).byteLength, plateOf, stats };
export type BenchApi = typeof api;
(window as unknown as { __bench: BenchApi }).__bench = api;
