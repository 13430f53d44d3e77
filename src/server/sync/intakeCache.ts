/**
 * The intakes one push touches: read once (together with the replay check, see apply.ts),
 * changed in memory mutation by mutation, and handed to the commit as two lists: new rows, and
 * changed rows with the change number they were read at (written only if still at it).
 */
import type { Intake } from '../../model/intake/schema';
import type { Query } from './apply';

export interface IntakeRow {
  id: string;
  data: Intake;
  sectionRevs: Record<string, number>;
  /** Absolute change number as read from the database; null for a row new in this push. */
  readSeq: number | null;
  /** Change number relative to this push of its latest change here (0: unchanged). */
  rel: number;
}

/** The columns a push reads, as the JSON the read statements build. */
export const INTAKE_ROW_JSON = `json_build_object('id', i.id, 'data', i.data, 'sectionRevs', i.section_revs, 'seq', i.seq)`;

export interface StoredIntake {
  id: string;
  data: Intake;
  sectionRevs: Record<string, number>;
  seq: number | string;
}

export interface IntakeWrite {
  id: string;
  data: Intake;
  section_revs: Record<string, number>;
  status: string;
  content_hash: string | null;
  rel: number;
  old_seq?: number;
}

export class IntakeCache {
  private readonly rows = new Map<string, IntakeRow | null>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly q: Query,
    private readonly dealershipId: string,
  ) {}

  /** Rows read elsewhere (the push's first statement); ids without a row are known absent. */
  load(ids: Iterable<string>, found: StoredIntake[]): void {
    for (const id of ids) this.rows.set(id, null);
    for (const r of found) this.rows.set(r.id, { id: r.id, data: r.data, sectionRevs: r.sectionRevs, readSeq: Number(r.seq), rel: 0 });
  }

  async get(id: string): Promise<IntakeRow | null> {
    if (!this.rows.has(id)) {
      const [r] = await this.q<{ row: StoredIntake }>(`SELECT ${INTAKE_ROW_JSON} AS row FROM intakes i WHERE i.dealership_id = $1 AND i.id = $2`, [this.dealershipId, id]);
      this.load([id], r ? [r.row] : []);
    }
    return this.rows.get(id) ?? null;
  }

  put(row: IntakeRow): void {
    this.rows.set(row.id, row);
    this.dirty.add(row.id);
  }

  /** What the commit writes: rows new in this push, and rows changed since they were read. */
  writes(): { fresh: IntakeWrite[]; changed: IntakeWrite[] } {
    const fresh: IntakeWrite[] = [];
    const changed: IntakeWrite[] = [];
    for (const id of this.dirty) {
      const r = this.rows.get(id);
      if (!r) continue;
      const w: IntakeWrite = { id, data: r.data, section_revs: r.sectionRevs, status: r.data.status, content_hash: r.data.contentHash, rel: r.rel };
      if (r.readSeq === null) fresh.push(w);
      else changed.push({ ...w, old_seq: r.readSeq });
    }
    return { fresh, changed };
  }
}
