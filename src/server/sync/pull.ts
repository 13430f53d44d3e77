/**
 * Pull: everything of the dealership changed after the cursor, in change-sequence order, from
 * the record tables (intakes, technician's checks, handovers, appointments) (each row carries the seq of its latest change). Because writers
 * commit in seq order (see apply.ts), a row with seq ≤ cursor that is not visible yet cannot
 * exist, so advancing the cursor to the last returned seq never skips a change. The answer is
 * put together from per-version JSON fragments (versionCache.ts), not built per request.
 * `missingPhotos` lists referenced photo hashes whose bytes this dealership does not hold yet.
 */
import type { Database } from '../db/client';
import { VersionCache, type Fragment, type RecordKind } from './versionCache';
import { photoHashesOf } from '../../model/intake/signedContent';
import type { Intake } from '../../model/intake/schema';

export const PULL_DEFAULT_LIMIT = 200;
export const PULL_MAX_LIMIT = 1000;

const HELD_SQL = `SELECT sha256 FROM blobs WHERE dealership_id = $1 AND sha256 = ANY(string_to_array($2, ','))`;

/** Which of these photo hashes this dealership holds the bytes of (one query). */
export async function heldPhotos(database: Database, dealershipId: string, hashes: Iterable<string>): Promise<Set<string>> {
  const wanted = [...new Set(hashes)];
  if (!wanted.length) return new Set();
  const rows = await database.query<{ sha256: string }>(HELD_SQL, [dealershipId, wanted.join(',')], 'wa_held_photos');
  return new Set(rows.map((r) => r.sha256));
}

/** Referenced photo hashes (intake photos) this dealership does not hold, per intake. */
export async function missingPhotos(database: Database, dealershipId: string, records: Intake[]): Promise<Map<string, string[]>> {
  const wanted = new Map(records.map((r) => [r.id, photoHashesOf(r)]));
  const held = await heldPhotos(database, dealershipId, [...wanted.values()].flat());
  return new Map([...wanted].map(([id, hashes]) => [id, hashes.filter((h) => !held.has(h))]));
}

/** The next changes after the cursor: kind, id and seq only (the index does all the work). */
const LIST_SQL = `SELECT x.k, x.id, x.seq::text AS s FROM (
    (SELECT 'i' AS k, id, seq FROM intakes WHERE dealership_id = $1 AND seq > $2 ORDER BY seq LIMIT $3 + 1)
    UNION ALL (SELECT 't', id, seq FROM tech_checks WHERE dealership_id = $1 AND seq > $2 ORDER BY seq LIMIT $3 + 1)
    UNION ALL (SELECT 'h', id, seq FROM handovers WHERE dealership_id = $1 AND seq > $2 ORDER BY seq LIMIT $3 + 1)
    UNION ALL (SELECT 'a', id, seq FROM appointments WHERE dealership_id = $1 AND seq > $2 ORDER BY seq LIMIT $3 + 1)
  ) x ORDER BY x.seq LIMIT $3 + 1`;

/** The current versions of records not in the VersionCache, as JSON text (never parsed here),
 *  with the photo hashes an intake refers to (as photoHashesOf: cabin items and findings). */
const FETCH_SQL = `SELECT 'i' AS k, i.id, i.seq::text AS seq, i.data::text AS data, i.section_revs::text AS revs,
    ARRAY(SELECT DISTINCT x.h FROM (
      SELECT jsonb_array_elements_text(v->'photos') AS h FROM jsonb_each(i.data->'cabin'->'items') AS e(k, v)
      UNION ALL
      SELECT jsonb_array_elements_text(f->'photos') FROM jsonb_array_elements(i.data->'walkaround'->'findings') AS f
    ) x) AS photos
  FROM intakes i WHERE i.dealership_id = $1 AND i.id = ANY(string_to_array($2, ',')::uuid[])
  UNION ALL SELECT 't', t.id, t.seq::text, t.data::text, NULL, NULL FROM tech_checks t
    WHERE t.dealership_id = $1 AND t.id = ANY(string_to_array($3, ',')::uuid[])
  UNION ALL SELECT 'h', h.id, h.seq::text, h.data::text, NULL, NULL FROM handovers h
    WHERE h.dealership_id = $1 AND h.id = ANY(string_to_array($4, ',')::uuid[])
  UNION ALL SELECT 'a', a.id, a.seq::text, a.data::text, NULL, NULL FROM appointments a
    WHERE a.dealership_id = $1 AND a.id = ANY(string_to_array($5, ',')::uuid[])`;

/** seq as text: pg and PGlite hand int8 to JS differently; text is the same on both. */
interface Listed {
  k: RecordKind;
  id: string;
  s: string;
}

interface Fetched {
  k: RecordKind;
  id: string;
  seq: string;
  data: string;
  revs: string | null;
  photos: string[] | null;
}

/** The pull fragment of an intake version (see Fragment). `data` and `revs` are JSON texts. */
export function intakeFragment(seq: number, data: string, revs: string, photos: string[]): Fragment {
  return { json: `"seq":${seq},"intake":${data},"sectionRevs":${revs}`, photos };
}

export function followUpFragment(kind: 't' | 'h', seq: number, data: string): Fragment {
  return { json: `{"seq":${seq},"${kind === 't' ? 'techCheck' : 'handover'}":${data}}`, photos: [] };
}

export function appointmentFragment(seq: number, data: string): Fragment {
  return { json: `{"seq":${seq},"appointment":${data}}`, photos: [] };
}

function fromDb(r: Fetched, seq: number): Fragment {
  if (r.k === 'i') return intakeFragment(seq, r.data, r.revs ?? '{}', r.photos ?? []);
  if (r.k === 'a') return appointmentFragment(seq, r.data);
  return followUpFragment(r.k, seq, r.data);
}

/**
 * The pull answer (PullResponse) as JSON text, ready to send. The cursor is the seq of the last
 * change on this page; `more` says whether any change lies beyond it. Record versions come from
 * the VersionCache, or from the database for those it lacks. A record changed between the list
 * and the fetch is left out of this page: its new version has a seq above every seq listed
 * (it committed later), so it comes with a later pull and nothing is skipped.
 */
export async function pullJson(database: Database, versions: VersionCache, dealershipId: string, since: number, limit: number): Promise<string> {
  const listed = await database.query<Listed>(LIST_SQL, [dealershipId, since, limit], 'wa_pull_list');
  const more = listed.length > limit;
  const page = listed.slice(0, limit).map((r) => ({ k: r.k, id: r.id, seq: Number(r.s) }));
  const cursor = page.length ? (page[page.length - 1]?.seq ?? since) : since;
  const found = new Map<string, Fragment>();
  const lacking: Record<RecordKind, string[]> = { i: [], t: [], h: [], a: [] };
  for (const r of page) {
    const key = VersionCache.key(r.k, dealershipId, r.id, r.seq);
    const f = versions.get(key);
    if (f) found.set(key, f);
    else lacking[r.k].push(r.id);
  }
  if (lacking.i.length + lacking.t.length + lacking.h.length + lacking.a.length) {
    const rows = await database.query<Fetched>(FETCH_SQL, [dealershipId, lacking.i.join(','), lacking.t.join(','), lacking.h.join(','), lacking.a.join(',')], 'wa_pull_fetch');
    for (const r of rows) {
      const seq = Number(r.seq);
      const key = VersionCache.key(r.k, dealershipId, r.id, seq);
      const f = fromDb(r, seq);
      versions.set(key, f);
      found.set(key, f);
    }
  }
  const parts: Record<RecordKind, Fragment[]> = { i: [], t: [], h: [], a: [] };
  const photos = new Set<string>();
  for (const r of page) {
    const frag = found.get(VersionCache.key(r.k, dealershipId, r.id, r.seq));
    if (!frag) continue; // changed since listed: comes with a later pull
    parts[r.k].push(frag);
    for (const h of frag.photos) photos.add(h);
  }
  const held = await heldPhotos(database, dealershipId, photos);
  const changes = parts.i.map((f) => `{${f.json},"missingPhotos":${JSON.stringify(f.photos.filter((h) => !held.has(h)))}}`);
  const follow = (fs: Fragment[]) => fs.map((f) => f.json).join(',');
  return `{"changes":[${changes.join(',')}],"techChecks":[${follow(parts.t)}],"handovers":[${follow(parts.h)}],"appointments":[${follow(parts.a)}],"cursor":${cursor},"more":${more}}`;
}
