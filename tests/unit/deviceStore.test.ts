/**
 * Device state (src/store/device.ts), the store's table list (db.ts TABLE_ROLES) and what is
 * derived from it: the wipe before another dealership's login, and the wait for local writes
 * before a service-worker update (which once missed technician checks and handovers).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, TABLE_ROLES, useDatabase, WalkaroundDB, type OutboxEntry } from '../../src/store/db';
import { deleteDevice, forgetLogin, readDevice, updateDevice, wipeDealershipData, writeDevice, type DeviceSession } from '../../src/store/device';
import { readPreference, writePreference } from '../../src/store/preferences';
import { waitForLocalWrites } from '../../src/app/serviceWorker';
import { AUTOSAVE_DELAY_MS } from '../../src/db/useSection';
import type { Handover } from '../../src/model/handover/schema';
import type { TechCheck } from '../../src/model/techCheck/schema';
import type { Intake } from '../../src/model/intake/schema';

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

const session: DeviceSession = {
  token: 'tok',
  deviceId: 'dev-1',
  dealership: { id: 'd-1', name: '示范店', slug: 'demo' },
  staff: { id: 's-1', name: '王顾问', role: 'advisor' },
  loginStaffId: 's-1',
  serverStaffIds: ['s-1'],
};

/** A stored row of a follow-up record: only the indexed fields matter to IndexedDB. */
function followRow<T>(id: string, intakeId: string, i = 0): T {
  return { id, intakeId, status: 'draft', updatedAt: new Date(1_700_000_000_000 + i).toISOString() } as unknown as T;
}

describe('device state', () => {
  it('reads each key as its absent value until written, and back as written', async () => {
    expect(await readDevice('session')).toBeNull();
    expect(await readDevice('staffList')).toEqual([]);
    expect(await readDevice('pinLocks')).toEqual({});
    expect(await readDevice('owner')).toBeNull();
    expect(await readDevice('syncCursor')).toBe(0);
    expect(await readDevice('syncStatus')).toEqual({ lastSuccessAt: null, lastAttemptAt: null, lastError: null });
    expect(await readDevice('photosWanted')).toEqual({});

    await writeDevice('session', session);
    await writeDevice('syncCursor', 42);
    await writeDevice('owner', 'd-1');
    expect(await readDevice('session')).toEqual(session);
    expect(await readDevice('syncCursor')).toBe(42);
    expect(await readDevice('owner')).toBe('d-1');
    await writeDevice('session', null);
    expect(await readDevice('session')).toBeNull();
  });

  it('keeps the kv keys existing tablets already hold, so they upgrade in place', async () => {
    const db = getDb();
    await db.kv.bulkPut([
      { key: 'session', value: session },
      { key: 'auth.staff', value: [{ id: 's-1' }] },
      { key: 'auth.pinLocks', value: { 's-1': { failures: 2, lockedUntil: null } } },
      { key: 'device.dealershipId', value: 'd-1' },
      { key: 'sync.cursor', value: 7 },
      { key: 'sync.status', value: { lastSuccessAt: '2026-11-30T08:00:00.000Z' } },
      { key: 'sync.photosWanted', value: { abc: 'i-1' } },
    ]);
    expect(await readDevice('session')).toEqual(session);
    expect(await readDevice('staffList')).toEqual([{ id: 's-1' }]);
    expect(await readDevice('pinLocks')).toEqual({ 's-1': { failures: 2, lockedUntil: null } });
    expect(await readDevice('owner')).toBe('d-1');
    expect(await readDevice('syncCursor')).toBe(7);
    expect(await readDevice('syncStatus')).toEqual({ lastSuccessAt: '2026-11-30T08:00:00.000Z', lastAttemptAt: null, lastError: null });
    expect(await readDevice('photosWanted')).toEqual({ abc: 'i-1' });
  });

  it('reads a value of the wrong shape as absent instead of handing it to a screen', async () => {
    await getDb().kv.bulkPut([
      { key: 'sync.cursor', value: 'seven' },
      { key: 'auth.staff', value: { not: 'a list' } },
      { key: 'session', value: 'garbage' },
    ]);
    expect(await readDevice('syncCursor')).toBe(0);
    expect(await readDevice('staffList')).toEqual([]);
    expect(await readDevice('session')).toBeNull();
  });

  it('updates in one transaction: concurrent updates are not lost', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => updateDevice('photosWanted', (cur) => ({ ...cur, [`h${i}`]: 'i-1' }))));
    expect(Object.keys(await readDevice('photosWanted'))).toHaveLength(10);
  });

  it('sign-out forgets the login (session, staff, PIN locks) and keeps the sync position', async () => {
    await writeDevice('session', session);
    await writeDevice('pinLocks', { 's-1': { failures: 1, lockedUntil: null } });
    await writeDevice('syncCursor', 9);
    await forgetLogin();
    expect(await readDevice('session')).toBeNull();
    expect(await readDevice('pinLocks')).toEqual({});
    expect(await readDevice('syncCursor')).toBe(9);
    await deleteDevice(['syncCursor']);
    expect(await readDevice('syncCursor')).toBe(0);
  });
});

describe('device preferences (localStorage, read before IndexedDB answers)', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the language and the last login under the keys tablets already hold', () => {
    expect(readPreference('lang')).toBeNull();
    expect(readPreference('lastLogin')).toBeNull();
    writePreference('lang', 'en');
    writePreference('lastLogin', { dealership: 'demo', username: 'advisor', deviceName: '前台1号平板' });
    expect(localStorage.getItem('walkaround.lang')).toBe('en');
    expect(JSON.parse(localStorage.getItem('walkaround.lastLogin') ?? 'null')).toEqual({ dealership: 'demo', username: 'advisor', deviceName: '前台1号平板' });
    expect(readPreference('lang')).toBe('en');
    expect(readPreference('lastLogin')).toEqual({ dealership: 'demo', username: 'advisor', deviceName: '前台1号平板' });
  });

  it('reads a stored value of another shape as absent, and keeps only the known text fields', () => {
    localStorage.setItem('walkaround.lang', 'fr');
    localStorage.setItem('walkaround.lastLogin', '{not json');
    expect(readPreference('lang')).toBeNull();
    expect(readPreference('lastLogin')).toBeNull();
    localStorage.setItem('walkaround.lastLogin', JSON.stringify({ dealership: 'demo', username: 7, password: 'never kept' }));
    expect(readPreference('lastLogin')).toEqual({ dealership: 'demo' });
  });
});

describe('the store table list', () => {
  it('gives every table of the database a role, and no table that is not there', () => {
    expect(getDb().tables.map((t) => t.name).sort()).toEqual(Object.keys(TABLE_ROLES).sort());
  });

  it('the wipe before another dealership clears every record table and the sync position, never the outbox or the session', async () => {
    const db = getDb();
    await db.intakes.put({ id: 'i-1' } as unknown as Intake);
    await db.summaries.put({ id: 'i-1', updatedAt: 'x', createdAt: 'x', status: 'signed' } as never);
    await db.sectionRevs.put({ intakeId: 'i-1', revs: { customer: 1 } });
    await db.techChecks.put(followRow<TechCheck>('t-1', 'i-1'));
    await db.handovers.put(followRow<Handover>('h-1', 'i-1'));
    await db.photos.put({ hash: 'a'.repeat(64), intakeId: 'i-1', type: 'image/jpeg', bytes: new ArrayBuffer(1), width: 1, height: 1, size: 1, createdAt: 'x' });
    await db.photoMeta.put({ hash: 'a'.repeat(64), intakeId: 'i-1', size: 1, createdAt: 'x', uploaded: 1 });
    await db.outbox.add({ mutationId: 'm-1', intakeId: 'i-9', kind: 'intake', recordId: 'i-9', op: 'create', section: null, mutation: {} as OutboxEntry['mutation'], state: 'pending', createdAt: 'x', attempts: 0, lastError: null });
    await writeDevice('session', session);
    await writeDevice('syncCursor', 12);
    await writeDevice('photosWanted', { b: 'i-1' });

    await wipeDealershipData();

    for (const [name, role] of Object.entries(TABLE_ROLES)) {
      if (role === 'record') expect(await db.table(name).count(), name).toBe(0);
    }
    expect(await db.outbox.count()).toBe(1);
    expect(await readDevice('session')).toEqual(session);
    expect(await readDevice('syncCursor')).toBe(0);
    expect(await readDevice('photosWanted')).toEqual({});
  });
});

describe('waiting for local writes before an update', () => {
  // A write that is still going on when the update is asked for (an autosave of a technician's
  // check or handover): waitForLocalWrites must not resolve before it has committed.
  it.each([
    ['handovers', (db: WalkaroundDB, i: number) => db.handovers.put(followRow<Handover>('h-1', 'i-1', i))],
    ['techChecks', (db: WalkaroundDB, i: number) => db.techChecks.put(followRow<TechCheck>('t-1', 'i-1', i))],
  ] as const)('waits for a write to %s still in progress', async (table, put) => {
    const db = getDb();
    let committed = false;
    const writing = db
      .transaction('rw', db.table(table), async () => {
        const until = Date.now() + AUTOSAVE_DELAY_MS + 400; // outlasts the autosave delay
        for (let i = 0; Date.now() < until; i++) await put(db, i);
      })
      .then(() => {
        committed = true;
      });
    await waitForLocalWrites();
    expect(committed).toBe(true);
    await writing;
    expect(await db.table(table).count()).toBe(1);
  });
});
