import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, updateSection } from '../../src/store/intakeWrites';
import { nextDelay, BACKOFF_BASE_MS, BACKOFF_CAP_MS, HEALTHY_INTERVAL_MS } from '../../src/sync/backoff';
import { createSyncApi, ACTING_STAFF_HEADER } from '../../src/sync/syncApi';
import { getSyncEngineState, startSync, stopSync, syncNow } from '../../src/sync/syncEngine';
import { readSyncStatus } from '../../src/sync/syncStatus';
import type { Mutation } from '../../src/shared/protocol';

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});
afterEach(() => stopSync());

describe('backoff schedule', () => {
  it('is the healthy interval after success, then doubles from 1 s to a 1 min cap with jitter', () => {
    expect(nextDelay(0, () => 0.5)).toBe(HEALTHY_INTERVAL_MS);
    const low = (n: number) => nextDelay(n, () => 0);
    const high = (n: number) => nextDelay(n, () => 1);
    expect([1, 2, 3, 4].map(high)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect([1, 2, 3].map(low)).toEqual([500, 1_000, 2_000]);
    expect(high(7)).toBe(BACKOFF_CAP_MS);
    expect(high(50)).toBe(BACKOFF_CAP_MS);
    expect(low(50)).toBe(BACKOFF_CAP_MS / 2);
    expect(high(1)).toBe(BACKOFF_BASE_MS);
  });
});

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeFetch(handler: (c: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const c: Call = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : init?.body,
    };
    calls.push(c);
    return handler(c);
  }) as typeof fetch;
  return { f, calls };
}

const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'Content-Type': 'application/json' } });

describe('HTTP client', () => {
  it('sends the device token and the acting staff, validates answers, classifies failures', async () => {
    const { f, calls } = fakeFetch((c) => {
      if (c.url.includes('/pull')) return json({ changes: [], cursor: 0, more: false });
      if (c.url.includes('/push')) return json({ error: 'bad', message: 'mutations: invalid' }, 400);
      if (c.method === 'HEAD') return new Response(null, { status: 503 });
      return json({ nonsense: true });
    });
    const api = createSyncApi({ baseUrl: 'http://srv/', fetch: f, auth: () => ({ token: 'tok', actingStaffId: 'st-1' }) });
    await api.pull(0);
    expect(calls[0]?.url).toBe('http://srv/api/sync/pull?since=0');
    expect(calls[0]?.headers.Authorization).toBe('Bearer tok');
    expect(calls[0]?.headers[ACTING_STAFF_HEADER]).toBe('st-1');
    await expect(api.push([{} as Mutation])).rejects.toMatchObject({ kind: 'refused', status: 400, message: expect.stringContaining('mutations: invalid') });
    await expect(api.hasBlob('a'.repeat(64))).rejects.toMatchObject({ kind: 'server' });
    const offline = createSyncApi({ fetch: (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch, auth: () => ({ token: 't', actingStaffId: null }) });
    await expect(offline.pull(0)).rejects.toMatchObject({ kind: 'offline' });
    const noSession = createSyncApi({ fetch: f, auth: () => null });
    await expect(noSession.pull(0)).rejects.toMatchObject({ kind: 'auth' });
    const wrongServer = createSyncApi({ fetch: (async () => new Response('<html>captive portal</html>', { status: 200 })) as typeof fetch, auth: () => ({ token: 't', actingStaffId: null }) });
    await expect(wrongServer.pull(0)).rejects.toMatchObject({ kind: 'protocol' });
  });
});

describe('engine', () => {
  it('one run pushes and pulls, then records the success (kept in IndexedDB)', async () => {
    const db = getDb();
    const a = await createIntake({ id: 'adv', name: 'A' });
    await updateSection(a.id, 'customer', { name: '王', salutation: '', mobile: '' });
    const { f, calls } = fakeFetch((c) => {
      if (c.url.includes('/push')) {
        const ms = (c.body as { mutations: Mutation[] }).mutations;
        return json({ results: ms.map((m) => ({ mutationId: m.id, status: 'applied', sectionRev: m.op === 'patch' ? 1 : undefined })) });
      }
      if (c.url.includes('/api/sync/vehicles')) return json({ vehicles: [], cursor: 0, more: false });
      return json({ changes: [], cursor: 0, more: false });
    });
    startSync({ fetch: f, auth: async () => ({ token: 't', actingStaffId: 'adv' }), changeDelayMs: 60_000, intervalMs: 60_000 });
    await syncNow();
    // syncNow may have joined the start-up run; make sure a full run is done.
    await syncNow();
    expect(await db.outbox.count()).toBe(0);
    expect(calls.some((c) => c.url.endsWith('/api/sync/push'))).toBe(true);
    expect(getSyncEngineState().failures).toBe(0);
    expect((await readSyncStatus(db)).lastSuccessAt).not.toBeNull();
  });

  it('a failed run keeps everything queued, records the error in words, and backs off', async () => {
    const db = getDb();
    await createIntake({ id: 'adv', name: 'A' });
    const { f } = fakeFetch(() => new Response('down', { status: 503 }));
    startSync({ fetch: f, auth: async () => ({ token: 't', actingStaffId: 'adv' }), changeDelayMs: 60_000, random: () => 1 });
    await syncNow();
    await syncNow();
    const st = getSyncEngineState();
    expect(st.failures).toBeGreaterThanOrEqual(1);
    expect(st.lastError?.kind).toBe('server');
    expect(st.nextRunAt).not.toBeNull();
    const entries = await db.outbox.toArray();
    expect(entries.map((e) => e.state)).toEqual(['pending']);
    expect(entries[0]?.attempts).toBeGreaterThanOrEqual(1);
    expect((await readSyncStatus(db)).lastError?.kind).toBe('server');
  });

  it('does nothing without a device session', async () => {
    const { f, calls } = fakeFetch(() => json({}));
    startSync({ fetch: f, auth: async () => null });
    expect(await syncNow()).toBeNull();
    expect(calls).toHaveLength(0);
  });
});
