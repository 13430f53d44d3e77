/**
 * Appointments through the tablet's own sync engine against the REAL server (in-process Fastify
 * on a random port, PGlite): two simulated tablets, each with its own IndexedDB (fake-indexeddb)
 * and device session. A booking made offline on A and a DMS booking reach B by the pull cursor;
 * A's one-tap arrival (intake + arrival) reaches the server and B; the same customer received on
 * B before B had pulled the arrival is refused by the server, quarantined on B (shown, not lost)
 * and B takes the server's appointment on its next pull.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { startApp, type TestApp } from './helpers/backends';
import { useDatabase as setAppDatabase, WalkaroundDB } from '../../src/store/db';
import { loadSession, serverActingStaffId } from '../../src/store/session';
import { configureHttp } from '../../src/sync/http';
import { loginDevice } from '../../src/features/auth/deviceAuth';
import { createSyncApi } from '../../src/sync/syncApi';
import { syncOnce } from '../../src/sync/syncOnce';
import { createAppointment, startIntakeFromAppointment } from '../../src/store/appointmentWrites';
import { BRING_ITEMS, type AppointmentDetails } from '../../src/model/appointment/schema';
import { DEMO_ADVISOR } from '../../src/server/demo';

let env: TestApp;
let baseUrl: string;

async function tablet(name: string) {
  const db = new WalkaroundDB(`it-appt-${name}-${crypto.randomUUID()}`);
  setAppDatabase(db);
  const r = await loginDevice({ dealership: DEMO_ADVISOR.dealership, username: DEMO_ADVISOR.username, password: DEMO_ADVISOR.password, deviceName: name });
  if (!r.ok) throw new Error(`login failed: ${r.reason}`);
  const api = createSyncApi({
    baseUrl,
    auth: async () => {
      const s = (await db.kv.get('session'))?.value as Awaited<ReturnType<typeof loadSession>>;
      return s ? { token: s.token, actingStaffId: serverActingStaffId(s) } : null;
    },
  });
  return {
    db,
    token: (await loadSession())?.token ?? '',
    use: () => setAppDatabase(db),
    sync: () => {
      setAppDatabase(db);
      return syncOnce({ db, api });
    },
  };
}

const details: AppointmentDetails = {
  date: '2026-12-01',
  time: '10:00',
  durationMinutes: 45,
  customer: { name: '周先生', mobile: '13600136000' },
  vehicle: { plate: '苏E66666', vin: '', make: '', model: '' },
  serviceType: 'tyres',
  symptoms: '右前轮胎鼓包',
  advisor: null,
  bring: [...BRING_ITEMS],
  note: '',
};

beforeAll(async () => {
  env = await startApp('pglite');
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
  configureHttp({ baseUrl });
});
afterAll(async () => {
  await env?.close();
});

describe('appointments between two tablets and the DMS', () => {
  it('bookings reach the other tablet; an arrival travels with its intake; a second arrival of the same customer is refused and shown', async () => {
    const a = await tablet('A');
    const b = await tablet('B');
    a.use();
    const booked = await createAppointment(details);
    expect((await a.sync()).problem).toBeNull();
    expect(await a.db.outbox.count()).toBe(0);

    const dms = await fetch(`${baseUrl}/api/appointments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId: 'DMS-9', date: '2026-12-01', time: '08:00', customer: { name: '钱女士', mobile: '' }, vehicle: { plate: '沪A12345' }, serviceType: 'maintenance' }),
    });
    expect(dms.status).toBe(201);

    expect((await b.sync()).problem).toBeNull();
    expect((await b.db.appointments.where('date').equals('2026-12-01').sortBy('time')).map((x) => [x.time, x.customer.name, x.status])).toEqual([
      ['08:00', '钱女士', 'booked'],
      ['10:00', '周先生', 'booked'],
    ]);

    // A receives the customer; B, which has not pulled that yet, receives the same customer too.
    a.use();
    const intakeA = await startIntakeFromAppointment(booked.id, { id: 'x', name: '王芳' });
    b.use();
    const intakeB = await startIntakeFromAppointment(booked.id, { id: 'y', name: '王芳' });
    expect((await a.sync()).problem).toBeNull();
    expect(await a.db.outbox.count()).toBe(0);
    const [row] = await env.app.wa.database.query<{ status: string; intake: string }>("SELECT status, data->>'intakeId' AS intake FROM appointments WHERE id = $1", [booked.id]);
    expect(row).toEqual({ status: 'arrived', intake: intakeA.id });

    const rb = await b.sync();
    expect(rb.problem).toBeNull();
    // B's arrival is refused for good and kept visible in quarantine; B's own intake stays, as a draft.
    const quarantined = await b.db.quarantine.toArray();
    expect(quarantined.map((q) => [q.mutation.op, q.reason.split(':')[0]])).toEqual([['appointmentStatus', 'appointment.status']]);
    expect((await b.db.intakes.get(intakeB.id))?.status).toBe('draft');
    // ... and B shows what the server has: arrived, with A's intake (pulled in the same run or the next).
    await b.sync();
    expect(await b.db.appointments.get(booked.id)).toMatchObject({ status: 'arrived', intakeId: intakeA.id });
    expect(await b.db.intakes.get(intakeA.id)).toBeTruthy();
  });
});
