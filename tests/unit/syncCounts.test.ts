import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, updateSection } from '../../src/store/intakeWrites';
import { readSyncCounts } from '../../src/store/syncCounts';
import { recordReads } from './dbReads';

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

describe('sync counts', () => {
  it('counts waiting records and changes, and the oldest waiting change, from the outbox', async () => {
    expect(await readSyncCounts(getDb())).toMatchObject({ pendingRecords: 0, pendingChanges: 0, oldestPendingAt: null });
    const a = await createIntake({ id: 'a', name: 'A' });
    await updateSection(a.id, 'customer', { name: '王五', salutation: '', mobile: '' });
    const b = await createIntake({ id: 'a', name: 'A' });
    const counts = await readSyncCounts(getDb());
    expect(counts.pendingRecords).toBe(2);
    expect(counts.pendingChanges).toBe(3); // create a, patch a, create b
    expect(counts.oldestPendingAt).toBe(a.createdAt);
    expect(b.createdAt >= a.createdAt).toBe(true);
  });
});

describe('pending photos in the counts', () => {
  it('counts unsent photos an intake refers to, from bookkeeping rows, without reading photo bytes or other intakes', async () => {
    const db = new WalkaroundDB(`t-${crypto.randomUUID()}`);
    const log = recordReads(db);
    useDatabase(db);
    const { savePhoto } = await import('../../src/store/photoStore');
    const { markPhotosUploaded } = await import('../../src/store/photoQueue');
    const png = (seed: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, seed & 255, seed >> 8]).buffer;
    const withPhotos = async (n: number, seed: number) => {
      const a = await createIntake({ id: 'a', name: 'A' });
      const hashes: string[] = [];
      for (let i = 0; i < n; i++) hashes.push((await savePhoto({ intakeId: a.id, bytes: png(seed + i), type: 'image/png', width: 1, height: 1 })).hash);
      const items = { ...a.cabin.items };
      items[Object.keys(items)[0]!] = { status: 'issue', note: '', photos: hashes };
      await updateSection(a.id, 'cabin', { consent: true, items });
      return { a, hashes };
    };
    // Ten intakes whose photos are all up, and one with three photos waiting (and one taken and removed).
    for (let i = 0; i < 10; i++) await markPhotosUploaded(db, (await withPhotos(3, 100 + i * 10)).hashes);
    const waiting = await withPhotos(3, 900);
    await savePhoto({ intakeId: waiting.a.id, bytes: png(999), type: 'image/png', width: 1, height: 1 });
    await db.outbox.clear(); // only the photos are pending now

    log.reset();
    const counts = await readSyncCounts(db);
    expect(counts.pendingPhotos).toBe(3);
    expect(counts.pendingRecords).toBe(1);
    expect(counts.oldestPendingAt).toBe(waiting.a.createdAt);
    expect(log.tables.has('photos')).toBe(false); // the bytes table is never read
    expect(log.intakeKeys).toBe(1); // only the intake that has unsent photos

    await markPhotosUploaded(db, waiting.hashes.slice(0, 2));
    expect((await readSyncCounts(db)).pendingPhotos).toBe(1);
    await markPhotosUploaded(db, waiting.hashes);
    expect(await readSyncCounts(db)).toMatchObject({ pendingPhotos: 0, pendingRecords: 0, oldestPendingAt: null });
  });
});
