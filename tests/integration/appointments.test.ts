/**
 * Appointments (预约) on the server: the DMS route (idempotent by external id, malformed → 400,
 * roles), one day's list, tenancy, tablet pushes through the kind's rules (an arrival is final,
 * an arrival needs its intake), the pull that carries appointments to tablets, and two identical
 * DMS sends racing. PGlite always, PostgreSQL too when TEST_DATABASE_URL is set.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, injectTransport, loginAs, type Tablet, type Transport } from './helpers/client';
import { draft, mCreate } from './helpers/fixtures';
import { otherDealership } from './helpers/state';
import type { Appointment } from '../../src/model/appointment/schema';
import { newAppointment } from '../../src/model/appointment/schema';
import type { Mutation, PullResponse } from '../../src/shared/protocol';

const DMS_1 = {
  externalId: 'DMS-1',
  date: '2026-12-01',
  time: '15:00',
  customer: { name: '钱女士', mobile: '13900139000' },
  vehicle: { plate: '沪A12345', vin: '' },
  serviceType: 'maintenance',
  symptoms: '保养',
  durationMinutes: 60,
};

interface Answer {
  appointment: Appointment;
  created: boolean;
}

const details = {
  date: '2026-12-02',
  time: '09:30',
  durationMinutes: 90,
  customer: { name: '孙先生', mobile: '13700137000' },
  vehicle: { plate: '京B54321', vin: '', make: '大众', model: '帕萨特' },
  serviceType: 'repair' as const,
  symptoms: '冷车启动异响',
  advisor: null,
  bring: ['vehicleDocuments' as const],
  note: '',
};

const mAppt = (a: Appointment, op: 'appointment' | 'appointmentStatus' = 'appointment'): Mutation => ({ id: randomUUID(), op, intakeId: a.id, at: a.updatedAt, appointment: a });

async function pullAll(tab: Tablet): Promise<PullResponse['appointments']> {
  const out: NonNullable<PullResponse['appointments']> = [];
  let since = 0;
  for (;;) {
    const page = await tab.pull(since);
    out.push(...(page.appointments ?? []));
    since = page.cursor;
    if (!page.more) return out;
  }
}

describe.each(backends())('appointments on %s', (backend) => {
  let env: TestApp;
  let t: Transport;
  let advisor: Tablet;
  let technician: Tablet;

  beforeAll(async () => {
    env = await startApp(backend);
    t = injectTransport(env.app);
    advisor = await loginAs(t, demo.advisor, 'DMS');
    technician = await loginAs(t, demo.technician, 'workshop tablet');
  });
  afterAll(() => env.close());

  it('creates from the DMS message, and the same external id again updates that one appointment', async () => {
    const first = await advisor.req<Answer>('POST', '/api/appointments', DMS_1);
    expect(first.status).toBe(201);
    expect(first.body.created).toBe(true);
    expect(first.body.appointment).toMatchObject({ externalId: 'DMS-1', source: 'dms', status: 'booked', date: '2026-12-01', time: '15:00', customer: { name: '钱女士', mobile: '13900139000' }, vehicle: { plate: '沪A12345' }, serviceType: 'maintenance', durationMinutes: 60 });
    const again = await advisor.req<Answer>('POST', '/api/appointments', { ...DMS_1, time: '16:00', symptoms: '保养，顺便检查刹车' });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(again.body.appointment.id).toBe(first.body.appointment.id);
    expect(again.body.appointment).toMatchObject({ time: '16:00', symptoms: '保养，顺便检查刹车', status: 'booked' });
    const replay = await advisor.req<Answer>('POST', '/api/appointments', { ...DMS_1, time: '16:00', symptoms: '保养，顺便检查刹车' });
    expect(replay.status).toBe(200);
    expect(replay.body.appointment).toEqual(again.body.appointment);

    const day = await advisor.req<{ appointments: Appointment[] }>('GET', '/api/appointments?date=2026-12-01');
    expect(day.status).toBe(200);
    expect(day.body.appointments.filter((a) => a.externalId === 'DMS-1')).toHaveLength(1);
    const [row] = await env.app.wa.database.query<{ n: string }>("SELECT count(*)::text AS n FROM appointments WHERE external_id = 'DMS-1'", []);
    expect(row?.n).toBe('1');
  });

  it("lists one day's appointments in slot order", async () => {
    for (const [id, time] of [['ORDER-C', '14:00'], ['ORDER-A', '08:30'], ['ORDER-B', '11:00']] as const) {
      expect((await advisor.req('POST', '/api/appointments', { ...DMS_1, externalId: id, date: '2026-12-03', time })).status).toBe(201);
    }
    const r = await technician.req<{ appointments: Appointment[] }>('GET', '/api/appointments?date=2026-12-03');
    expect(r.status).toBe(200); // any staff of the dealership may read
    expect(r.body.appointments.map((a) => a.externalId)).toEqual(['ORDER-A', 'ORDER-B', 'ORDER-C']);
    expect((await advisor.req<{ appointments: Appointment[] }>('GET', '/api/appointments?date=2026-12-04')).body.appointments).toEqual([]);
  });

  it('answers a malformed message 400 with a reason, and writes nothing', async () => {
    const [before] = await env.app.wa.database.query<{ n: string }>('SELECT count(*)::text AS n FROM appointments', []);
    const bad: [string, unknown][] = [
      ['no external id', { ...DMS_1, externalId: '' }],
      ['bad date', { ...DMS_1, externalId: 'BAD-1', date: '2026-02-30' }],
      ['bad time', { ...DMS_1, externalId: 'BAD-2', time: '25:00' }],
      ['unknown service', { ...DMS_1, externalId: 'BAD-3', serviceType: 'wash' }],
      ['bad mobile', { ...DMS_1, externalId: 'BAD-4', customer: { name: '钱女士', mobile: '123' } }],
      ['no plate nor vin', { ...DMS_1, externalId: 'BAD-5', vehicle: { plate: '', vin: '' } }],
      ['no customer', { ...DMS_1, externalId: 'BAD-6', customer: undefined }],
      ['duration not a number', { ...DMS_1, externalId: 'BAD-7', durationMinutes: '60' }],
      ['NUL in a name', { ...DMS_1, externalId: 'BAD-8', customer: { name: '钱\u0000', mobile: '' } }],
      ['not an object', ['DMS-1']],
    ];
    for (const [why, body] of bad) {
      const r = await advisor.req<{ error: string; message: string; details?: unknown }>('POST', '/api/appointments', body);
      expect(r.status, why).toBe(400);
      expect(r.body.error, why).toBe('invalid');
      expect(Array.isArray(r.body.details), why).toBe(true);
    }
    const json = await t({ method: 'POST', url: '/api/appointments', payload: '{"externalId":', headers: advisor.headers({ 'content-type': 'application/json' }) });
    expect(json.status).toBe(400);
    for (const q of ['', '?date=', '?date=2026-13-01', '?date=tomorrow']) expect((await advisor.req('GET', `/api/appointments${q}`)).status, q).toBe(400);
    const [after] = await env.app.wa.database.query<{ n: string }>('SELECT count(*)::text AS n FROM appointments', []);
    expect(after?.n).toBe(before?.n);
  });

  it('lets advisors and managers post, not technicians nor anonymous callers', async () => {
    expect((await technician.req('POST', '/api/appointments', { ...DMS_1, externalId: 'TECH-1' })).status).toBe(403);
    expect((await t({ method: 'POST', url: '/api/appointments', json: { ...DMS_1, externalId: 'ANON-1' } })).status).toBe(401);
    expect((await t({ method: 'GET', url: '/api/appointments?date=2026-12-01' })).status).toBe(401);
    const manager = await loginAs(t, demo.manager, 'office');
    expect((await manager.req('POST', '/api/appointments', { ...DMS_1, externalId: 'MGR-1' })).status).toBe(201);
  });

  it("keeps dealerships apart: another dealership's external id and list are its own", async () => {
    const other = await otherDealership(env.app);
    const b = await loginAs(t, other.advisor, 'B DMS');
    const mine = (await advisor.req<{ appointments: Appointment[] }>('GET', '/api/appointments?date=2026-12-01')).body.appointments;
    const posted = await b.req<Answer>('POST', '/api/appointments', { ...DMS_1, customer: { name: '另一家', mobile: '' } });
    expect(posted.status).toBe(201); // the same external id in another dealership is another appointment
    expect(posted.body.appointment.id).not.toBe(mine.find((a) => a.externalId === 'DMS-1')?.id);
    expect((await b.req<{ appointments: Appointment[] }>('GET', '/api/appointments?date=2026-12-01')).body.appointments.map((a) => a.customer.name)).toEqual(['另一家']);
    expect((await advisor.req<{ appointments: Appointment[] }>('GET', '/api/appointments?date=2026-12-01')).body.appointments).toEqual(mine);
    // B pushing a change under A's appointment id makes B's own record; A's stays as it was.
    const target = mine[0] as Appointment;
    const forged = { ...target, customer: { name: '篡改', mobile: '' }, externalId: '', updatedAt: new Date(Date.now() + 60_000).toISOString() };
    expect((await b.push([mAppt(forged)])).results[0]?.status).toBe('applied');
    expect((await advisor.req<{ appointments: Appointment[] }>('GET', '/api/appointments?date=2026-12-01')).body.appointments).toEqual(mine);
    expect((await pullAll(b))?.map((x) => x.appointment.customer.name)).toContain('篡改');
    expect((await pullAll(advisor))?.map((x) => x.appointment.customer.name)).not.toContain('篡改');
  });

  it('syncs to tablets by the pull cursor: a booking from the DMS, a booking and arrival from a tablet', async () => {
    const tablet2 = await loginAs(t, demo.advisor, 'tablet 2');
    const start = (await tablet2.pull(0)).cursor;
    let cursor = start;
    for (;;) {
      const p = await tablet2.pull(cursor);
      cursor = p.cursor;
      if (!p.more) break;
    }
    const posted = await advisor.req<Answer>('POST', '/api/appointments', { ...DMS_1, externalId: 'SYNC-1', date: '2026-12-05' });
    const page = await tablet2.pull(cursor);
    expect(page.appointments?.map((a) => a.appointment)).toEqual([posted.body.appointment]);
    expect(page.cursor).toBeGreaterThan(cursor);

    // A booking made on a tablet, then the customer arrives: the intake and the arrival in one push.
    const booked = newAppointment({ id: randomUUID(), details });
    expect((await advisor.push([mAppt(booked)])).results[0]?.status).toBe('applied');
    const intake = draft({ id: advisor.login.staff.id, name: advisor.login.staff.name });
    const arrived = { ...booked, status: 'arrived' as const, intakeId: intake.id, statusAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
    const res = await advisor.push([mCreate(intake), mAppt(arrived, 'appointmentStatus')]);
    expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const next = await tablet2.pull(page.cursor);
    expect(next.changes.map((c) => c.intake.id)).toEqual([intake.id]);
    expect(next.appointments?.map((a) => [a.appointment.id, a.appointment.status, a.appointment.intakeId])).toEqual([[booked.id, 'arrived', intake.id]]);

    // An arrival is final: neither the DMS nor a tablet can undo it.
    const again = { ...arrived, status: 'booked' as const, intakeId: null, updatedAt: new Date(Date.now() + 1000).toISOString() };
    const undo = await tablet2.push([mAppt(again, 'appointmentStatus')]);
    expect(undo.results[0]).toMatchObject({ status: 'rejected' });
    expect(undo.results[0]?.reason).toMatch(/^appointment\.status/);
    const edit = await tablet2.push([mAppt({ ...arrived, time: '10:00', updatedAt: new Date(Date.now() + 2000).toISOString() })]);
    expect(edit.results[0]?.reason).toMatch(/^appointment\.status/);
    const dmsArrived = await advisor.req<Answer>('POST', '/api/appointments', { ...DMS_1, externalId: 'SYNC-1', date: '2026-12-05' });
    expect(dmsArrived.status).toBe(200); // unchanged booking: fine
    // replays are duplicates and change nothing
    const replay = await advisor.push([mCreate(intake)]);
    expect(replay.results[0]?.status).toBe('duplicate');
  });

  it('refuses an arrival whose intake is not on the server yet (sent again later), and a status change of an unknown appointment', async () => {
    const booked = newAppointment({ id: randomUUID(), details });
    await advisor.push([mAppt(booked)]);
    const arrived = { ...booked, status: 'arrived' as const, intakeId: randomUUID(), updatedAt: new Date().toISOString() };
    const r = await advisor.push([mAppt(arrived, 'appointmentStatus')]);
    expect(r.results[0]).toMatchObject({ status: 'rejected', retry: true });
    const unknown = newAppointment({ id: randomUUID(), details });
    const u = await advisor.push([mAppt({ ...unknown, status: 'cancelled' }, 'appointmentStatus')]);
    expect(u.results[0]).toMatchObject({ status: 'rejected', retry: true });
    const cancel = await advisor.push([mAppt({ ...booked, status: 'cancelled', updatedAt: new Date().toISOString() }, 'appointmentStatus')]);
    expect(cancel.results[0]?.status).toBe('applied');
    // the DMS may cancel and book again, but not undo an arrival (409)
    expect((await advisor.req<Answer>('POST', '/api/appointments', { ...DMS_1, externalId: 'CANCEL-1', status: 'cancelled' })).body.appointment.status).toBe('cancelled');
    expect((await advisor.req<Answer>('POST', '/api/appointments', { ...DMS_1, externalId: 'CANCEL-1', status: 'booked' })).body.appointment.status).toBe('booked');
    // a hostile tablet: a booking under another id than its record's, or one that claims to have arrived
    const odd = newAppointment({ id: randomUUID(), details });
    const mismatched = await advisor.push([{ ...mAppt(odd), intakeId: randomUUID() }]);
    expect(mismatched.results[0]).toMatchObject({ status: 'rejected' });
    const fake = await advisor.push([mAppt({ ...odd, status: 'arrived', intakeId: randomUUID() })]);
    expect(fake.results[0]?.reason).toMatch(/^appointment\.status/);
    const [none] = await env.app.wa.database.query<{ n: string }>('SELECT count(*)::text AS n FROM appointments WHERE id = $1', [odd.id]);
    expect(none?.n).toBe('0');
    // technicians may not push bookings (sent again when an advisor syncs)
    const tech = await technician.push([mAppt(newAppointment({ id: randomUUID(), details }))]);
    expect(tech.results[0]).toMatchObject({ status: 'rejected', retry: true });
  });

  it('two tablets receiving the same customer: the first arrival stands, the second is refused for good (its intake stays a draft of its own)', async () => {
    const booked = newAppointment({ id: randomUUID(), details });
    await advisor.push([mAppt(booked)]);
    const tablet2 = await loginAs(t, demo.advisor, 'tablet 2');
    const arrivals = [advisor, tablet2].map((tab) => {
      const intake = draft({ id: tab.login.staff.id, name: tab.login.staff.name });
      const arrived = { ...booked, status: 'arrived' as const, intakeId: intake.id, statusAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
      return { tab, intake, mutations: [mCreate(intake), mAppt(arrived, 'appointmentStatus')] };
    });
    const [first, second] = arrivals as [(typeof arrivals)[number], (typeof arrivals)[number]];
    expect((await first.tab.push(first.mutations)).results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const late = await second.tab.push(second.mutations);
    expect(late.results[0]?.status).toBe('applied');
    expect(late.results[1]).toMatchObject({ status: 'rejected' });
    expect(late.results[1]?.retry).toBeUndefined();
    expect(late.results[1]?.reason).toMatch(/^appointment\.status/);
    const [row] = await env.app.wa.database.query<{ data: Appointment }>('SELECT data FROM appointments WHERE id = $1', [booked.id]);
    expect(row?.data.intakeId).toBe(first.intake.id);
  });

  it('makes one appointment of two identical DMS sends racing', async () => {
    const body = { ...DMS_1, externalId: 'RACE-1', date: '2026-12-06' };
    const answers = await Promise.all([0, 1, 2, 3].map(() => advisor.req<Answer>('POST', '/api/appointments', body)));
    expect(answers.map((a) => a.status).sort()).toEqual(expect.arrayContaining([201]));
    for (const a of answers) expect([200, 201]).toContain(a.status);
    expect(new Set(answers.map((a) => a.body.appointment.id)).size).toBe(1);
    const [row] = await env.app.wa.database.query<{ n: string }>("SELECT count(*)::text AS n FROM appointments WHERE external_id = 'RACE-1'", []);
    expect(row?.n).toBe('1');
  });

  it('is in the OpenAPI document', async () => {
    const doc = await t({ method: 'GET', url: '/api/openapi.json' });
    const paths = (doc.body as { paths: Record<string, Record<string, unknown>> }).paths;
    expect(Object.keys(paths['/api/appointments'] ?? {}).sort()).toEqual(['get', 'post']);
  });
});
