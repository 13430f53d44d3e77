/**
 * Pull fragments by record version. A row version (kind, dealership, id, seq) never changes: a
 * change to the record gives it a new seq. So the JSON a pull sends for that version can be made
 * once and kept, and every other tablet of the dealership that pulls it gets the same text
 * without the database building it again or Node parsing and re-serialising it. Pushes put the
 * versions they commit here; a pull fetches only what is missing (another server process wrote
 * it, or it was evicted). Least recently used entries go first once `maxBytes` is reached.
 */
/** i intake, t technician's check, h handover, a appointment. */
export type RecordKind = 'i' | 't' | 'h' | 'a';

export interface Fragment {
  /** For intakes `"seq":N,"intake":{…},"sectionRevs":{…}` (missingPhotos is added per pull, it
   *  changes as photos arrive); for the others the whole `{"seq":N,"techCheck":{…}}`. */
  json: string;
  /** Photo hashes the intake refers to (empty for the others). */
  photos: string[];
}

export class VersionCache {
  private readonly map = new Map<string, Fragment>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  static key(kind: RecordKind, dealershipId: string, id: string, seq: number): string {
    return `${kind}:${dealershipId}:${id}:${seq}`;
  }

  get(key: string): Fragment | undefined {
    const f = this.map.get(key);
    if (f) {
      this.map.delete(key);
      this.map.set(key, f);
    }
    return f;
  }

  set(key: string, f: Fragment): void {
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.bytes -= size(key, old);
    }
    this.map.set(key, f);
    this.bytes += size(key, f);
    for (const [k, v] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= size(k, v);
    }
  }

  /** Forget everything (tests: make pulls read the database). */
  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.map.size;
  }
}

/** Rough UTF-16 bytes held for an entry. */
function size(key: string, f: Fragment): number {
  return 2 * (key.length + f.json.length) + 70 * f.photos.length + 64;
}
