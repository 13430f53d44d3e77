import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, updateSection } from '../../src/store/intakeWrites';
import { readSyncCounts } from '../../src/store/syncCounts';

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
