/**
 * The appointment kind (src/model/appointment): its schemas (tablet form, DMS message), status
 * rules, the intake drafted from it, its mutators and wire ops as the server reads them; and the
 * store's writes: one tap at arrival creates the intake and marks the appointment arrived in one
 * transaction, a pulled appointment never overwrites unsent local changes.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { kinds, mutatorOfOp, rolesOfOp } from '../../src/model/registry';
import { mutationSchema } from '../../src/shared/protocol';
import {
  appointmentFormSchema,
  appointmentSchema,
  BRING_ITEMS,
  detailsFromDms,
  dmsAppointmentSchema,
  mayChangeStatus,
  newAppointment,
  type Appointment,
  type AppointmentDetails,
} from '../../src/model/appointment/schema';
import { appointmentsOfDay, localDate } from '../../src/model/appointment/day';
import { complaintOf, intakeFromAppointment } from '../../src/model/appointment/intakeFromAppointment';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { cancelAppointment, createAppointment, markNoShow, rebookAppointment, startIntakeFromAppointment, updateAppointment } from '../../src/store/appointmentWrites';
import { putVehiclePage } from '../../src/store/vehicleHistory';
import { putIntakeRecord } from '../../src/store/summaries';
import { newIntake } from '../../src/model/intake/newIntake';
import { finding } from '../fixtures/followFixtures';
import { applyPulledRecord } from '../../src/store/applyPulled';
import { appointmentOfIntake, loadAppointmentsOf } from '../../src/store/queries';
import { hrefOf, parseRoute, type Route } from '../../src/ui/router';
import { isFormRoute } from '../../src/app/serviceWorker';

const details: AppointmentDetails = {
  date: '2026-12-01',
  time: '15:00',
  durationMinutes: 60,
  customer: { name: '钱女士', mobile: '13900139000' },
  vehicle: { plate: '沪A12345', vin: '', make: '大众', model: '途观L' },
  serviceType: 'repair',
  symptoms: '刹车时有异响，一周前开始',
  advisor: { id: 'adv-1', name: '李顾问' },
  bring: [...BRING_ITEMS],
  note: '',
};
const advisor = { id: 'adv-1', name: '李顾问' };
const env = { now: '2026-12-01T06:00:00.000Z', actor: null, openConflicts: 0 };

describe('appointment model', () => {
  it('takes the DMS example message and refuses malformed ones with a reason', () => {
    const ok = dmsAppointmentSchema.parse({
      externalId: 'DMS-1',
      date: '2026-12-01',
      time: '15:00',
      customer: { name: '钱女士', mobile: '13900139000' },
      vehicle: { plate: '沪A12345', vin: '' },
      serviceType: 'maintenance',
      symptoms: '保养',
      durationMinutes: 60,
    });
    const d = detailsFromDms(ok);
    expect(d).toMatchObject({ date: '2026-12-01', time: '15:00', durationMinutes: 60, serviceType: 'maintenance', bring: [...BRING_ITEMS], advisor: null });
    expect(appointmentSchema.safeParse(newAppointment({ id: crypto.randomUUID(), details: d, externalId: 'DMS-1', source: 'dms' })).success).toBe(true);
    const issue = (v: unknown) => dmsAppointmentSchema.safeParse(v).error?.issues[0]?.message;
    expect(issue({ ...ok, date: '2026-02-30' })).toBe('appointment.date');
    expect(issue({ ...ok, time: '7:00' })).toBe('appointment.time');
    expect(issue({ ...ok, vehicle: { plate: '', vin: '' } })).toBe('appointment.plateOrVin');
    expect(issue({ ...ok, customer: { name: '钱女士', mobile: '12345' } })).toBe('mobile.invalid');
    expect(issue({ ...ok, durationMinutes: 2 })).toBe('appointment.duration');
  });

  it("the advisor's form needs a name and a plate or VIN, and normalises mobile and plate", () => {
    const form = { ...details, customer: { name: '钱女士', mobile: '139 0013 9000' }, vehicle: { ...details.vehicle, plate: '沪a12345' } };
    expect(appointmentFormSchema.parse(form)).toMatchObject({ customer: { mobile: '13900139000' }, vehicle: { plate: '沪A12345' } });
    const bad = appointmentFormSchema.safeParse({ ...form, customer: { name: ' ', mobile: '' }, vehicle: { plate: '', vin: '', make: '', model: '' } });
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['customer.name', 'required'],
      ['vehicle.plate', 'appointment.plateOrVin'],
    ]);
  });

  it('status rules: an arrival is final, a cancelled one may be booked again', () => {
    expect(mayChangeStatus('booked', 'arrived')).toBe(true);
    expect(mayChangeStatus('noShow', 'arrived')).toBe(true);
    expect(mayChangeStatus('arrived', 'booked')).toBe(false);
    expect(mayChangeStatus('arrived', 'cancelled')).toBe(false);
    expect(mayChangeStatus('cancelled', 'arrived')).toBe(false);
    expect(mayChangeStatus('cancelled', 'booked')).toBe(true);
  });

  it('drafts the intake from the appointment: customer, vehicle, complaint with the service type, appointment number', () => {
    const a = newAppointment({ id: crypto.randomUUID(), details, externalId: 'DMS-7' });
    const intake = intakeFromAppointment(a, { advisor });
    expect(intake).toMatchObject({
      status: 'draft',
      advisor,
      customer: { name: '钱女士', mobile: '13900139000' },
      vehicle: { plate: '沪A12345', make: '大众', model: '途观L' },
      visit: { appointmentRef: 'DMS-7' },
      complaint: { symptom: '故障维修：刹车时有异响，一周前开始' },
    });
    expect(kinds.intake.schema.safeParse(intake).success).toBe(true);
    expect(complaintOf({ serviceType: 'maintenance', symptoms: '保养' })).toBe('保养');
    expect(complaintOf({ serviceType: 'tyres', symptoms: ' ' })).toBe('轮胎');
    expect(intakeFromAppointment({ ...a, externalId: '' }, { advisor }).visit.appointmentRef).toBe(a.id);
  });

  it("a day's list in slot order, and today's date in the local calendar", () => {
    const mk = (time: string, date = '2026-12-01') => ({ ...newAppointment({ id: crypto.randomUUID(), details: { ...details, time, date } }) });
    const all = [mk('15:00'), mk('08:30'), mk('09:00', '2026-12-02'), mk('11:00')];
    expect(appointmentsOfDay(all, '2026-12-01').map((a) => a.time)).toEqual(['08:30', '11:00', '15:00']);
    expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });

  it('mutators: update keeps status and link, setStatus follows the rules; wire ops read back as the server runs them', () => {
    const { create, update, setStatus } = kinds.appointment.mutators;
    const a = newAppointment({ id: crypto.randomUUID(), details, now: new Date('2026-11-30T00:00:00Z') });
    const made = create.run(undefined, { record: a }, env, undefined);
    expect(() => create.run(made, { record: a }, env, undefined)).toThrow(/exists/);
    expect(() => create.run(undefined, { record: { ...a, status: 'arrived', intakeId: crypto.randomUUID() } }, env, undefined)).toThrow(/appointment.status/);
    const moved = update.run(made, { details: { ...details, time: '16:00' } }, env, undefined);
    expect(moved).toMatchObject({ time: '16:00', status: 'booked', id: a.id, updatedAt: env.now });
    const intakeId = crypto.randomUUID();
    expect(() => setStatus.run(moved, { status: 'arrived', intakeId: null }, env, undefined)).toThrow(/names the intake/);
    const arrived = setStatus.run(moved, { status: 'arrived', intakeId }, env, undefined);
    expect(arrived).toMatchObject({ status: 'arrived', intakeId, statusAt: arrived.updatedAt });
    expect(arrived.updatedAt > moved.updatedAt).toBe(true); // always moves forward (last writer wins)
    expect(() => setStatus.run(arrived, { status: 'booked', intakeId: null }, env, undefined)).toThrow(/appointment.status/);
    expect(() => setStatus.run(arrived, { status: 'arrived', intakeId: crypto.randomUUID() }, env, undefined)).toThrow(/appointment.status/);
    expect(setStatus.run(arrived, { status: 'arrived', intakeId }, env, undefined)).toBe(arrived);
    expect(() => update.run(arrived, { details }, env, undefined)).toThrow(/appointment.status/);

    const base = { mutationId: crypto.randomUUID(), before: moved, env, mergeBase: {} };
    const statusWire = mutationSchema.parse(setStatus.wire({ ...base, after: arrived, args: { status: 'arrived', intakeId } }));
    expect(statusWire).toMatchObject({ op: 'appointmentStatus', intakeId: a.id, appointment: arrived });
    expect(kinds.appointment.wireIn.appointmentStatus?.read(statusWire)).toMatchObject({ recordId: a.id, args: { status: 'arrived', intakeId } });
    const bookingWire = mutationSchema.parse(update.wire({ ...base, after: moved, args: { details } }));
    expect(kinds.appointment.wireIn.appointment?.read(bookingWire)).toMatchObject({ recordId: a.id, createWith: 'create', claimed: moved });
    expect(kinds.appointment.wireIn.appointment?.read(statusWire)).toBeNull();
    expect(mutatorOfOp('appointmentStatus')).toEqual({ kind: 'appointment', mutator: 'setStatus' });
    expect([...rolesOfOp('appointment')].sort()).toEqual(['advisor', 'manager']);
  });
});

describe('appointment routes', () => {
  it('parse and print: the day list, a given day, the new form, the change form', () => {
    const routes: Route[] = [{ name: 'appointments' }, { name: 'appointments', date: '2026-12-24' }, { name: 'newAppointment' }, { name: 'editAppointment', id: 'abc' }];
    for (const r of routes) expect(parseRoute(hrefOf(r))).toEqual(r);
    expect(hrefOf({ name: 'appointments' })).toBe('#/appointments');
    // An update never reloads the page under the booking form (its typing is not saved yet).
    expect(isFormRoute({ name: 'newAppointment' })).toBe(true);
    expect(isFormRoute({ name: 'editAppointment', id: 'abc' })).toBe(true);
    expect(isFormRoute({ name: 'appointments' })).toBe(false);
  });
});

describe('appointment store', () => {
  beforeEach(() => {
    useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  });

  it('books on the tablet (record + one coalesced outbox entry), lists the day, no-show and cancel', async () => {
    const a = await createAppointment(details);
    await updateAppointment(a.id, { ...details, time: '16:30' });
    const outbox = await getDb().outbox.toArray();
    expect(outbox.map((e) => [e.kind, e.op, e.recordId, e.intakeId])).toEqual([['appointment', 'appointment', a.id, a.id]]);
    expect((outbox[0]?.mutation as { appointment: Appointment }).appointment.time).toBe('16:30');
    const b = await createAppointment({ ...details, time: '08:00' });
    expect((await loadAppointmentsOf('2026-12-01')).map((x) => x.id)).toEqual([b.id, a.id]);
    expect((await markNoShow(b.id)).status).toBe('noShow');
    expect((await rebookAppointment(b.id)).status).toBe('booked');
    expect((await cancelAppointment(b.id)).status).toBe('cancelled');
    expect((await getDb().outbox.toArray()).map((e) => e.op)).toEqual(['appointment', 'appointment', 'appointmentStatus', 'appointmentStatus', 'appointmentStatus']);
  });

  it('one tap at arrival: the intake drafted from it and the arrival in ONE transaction; a second tap opens the same intake', async () => {
    const a = await createAppointment(details);
    const intake = await startIntakeFromAppointment(a.id, advisor);
    expect(intake).toMatchObject({ customer: { name: '钱女士' }, vehicle: { plate: '沪A12345' }, complaint: { symptom: '故障维修：刹车时有异响，一周前开始' } });
    const stored = await getDb().appointments.get(a.id);
    expect(stored).toMatchObject({ status: 'arrived', intakeId: intake.id });
    expect(await appointmentOfIntake(intake.id)).toEqual(stored);
    expect((await getDb().summaries.get(intake.id))?.plate).toBe('沪A12345');
    const ops = (await getDb().outbox.orderBy('seq').toArray()).map((e) => e.op);
    expect(ops).toEqual(['appointment', 'create', 'appointmentStatus']);
    const again = await startIntakeFromAppointment(a.id, advisor);
    expect(again.id).toBe(intake.id);
    expect(await getDb().intakes.count()).toBe(1);
    await expect(cancelAppointment(a.id)).rejects.toMatchObject({ code: 'appointment.status' });
  });

  it('a returning car: the arrival drafts the order from the booking AND the car\'s history (VIN, year, colour, earlier damage, declined work); the customer stays the booking\'s', async () => {
    const VIN = '1M8GDM9AXKP042788';
    const at = '2026-09-01T09:00:00.000Z';
    const base = newIntake({ advisor, now: new Date(at) });
    const lastVisit = {
      ...base,
      customer: { name: '钱先生', salutation: '钱先生', mobile: '13800138000' },
      vehicle: { plate: '沪A12345', plateOther: false, vin: VIN, make: '大众', model: '途观L', year: 2021, colour: '白' },
      walkaround: { ...base.walkaround, findings: [finding({ id: 'f1', positionId: 'leftFront', itemId: 'panel' })] },
      work: { ...base.work, recommendations: [{ id: 'r1', findingId: null, title: '更换前刹车片', safety: true, decision: 'later' as const, labour: null, parts: null }] },
      status: 'signed' as const,
      signedAt: at,
      contentHash: 'a'.repeat(64),
    };
    await putIntakeRecord(getDb(), lastVisit);
    await putVehiclePage(getDb(), [{ id: crypto.randomUUID(), seq: 1, vin: VIN, plate: '沪A12345', plates: ['沪A12345'], make: '大众', model: '途观L', year: 2021, colour: '白', customer: lastVisit.customer, lastVisitAt: at, lastOdometerKm: 42000, lastIntakeId: lastVisit.id, visits: 1 }], 1);

    const a = await createAppointment(details); // plate only, no VIN
    const intake = await startIntakeFromAppointment(a.id, advisor);
    expect(intake.vehicle).toMatchObject({ plate: '沪A12345', vin: VIN, model: '途观L', year: 2021, colour: '白' });
    expect(intake.customer.name).toBe('钱女士'); // who booked, not the last visit's customer
    expect(intake.history?.lastVisit).toMatchObject({ intakeId: lastVisit.id, at });
    expect(intake.history?.previous.map((p) => p.findingId)).toEqual(['f1']);
    expect(intake.history?.carried.map((c) => [c.title, c.safety])).toEqual([['更换前刹车片', true]]);
  });

  it('writes nothing when the arrival is refused (a cancelled appointment)', async () => {
    const a = await createAppointment(details);
    await cancelAppointment(a.id);
    const before = await getDb().outbox.count();
    await expect(startIntakeFromAppointment(a.id, advisor)).rejects.toMatchObject({ code: 'appointment.status' });
    expect(await getDb().intakes.count()).toBe(0);
    expect(await getDb().summaries.count()).toBe(0);
    expect(await getDb().outbox.count()).toBe(before);
  });

  it('a pulled appointment is stored, and never overwrites a local one with unsent changes', async () => {
    const fromDms = newAppointment({ id: crypto.randomUUID(), details, externalId: 'DMS-1', source: 'dms', now: new Date('2026-11-30T00:00:00Z') });
    expect(await applyPulledRecord(getDb(), 'appointment', fromDms)).toBe('stored');
    expect(await applyPulledRecord(getDb(), 'appointment', fromDms)).toBe('unchanged');
    await markNoShow(fromDms.id);
    const newer = { ...fromDms, time: '17:00', updatedAt: '2099-01-01T00:00:00.000Z' };
    expect(await applyPulledRecord(getDb(), 'appointment', newer)).toBe('kept');
    expect((await getDb().appointments.get(fromDms.id))?.status).toBe('noShow');
    await getDb().outbox.clear(); // the server answered for it
    expect(await applyPulledRecord(getDb(), 'appointment', newer)).toBe('stored');
    expect(await applyPulledRecord(getDb(), 'appointment', { ...newer, status: 'lost' })).toBe('refused');
    // A local arrival the server refused (another tablet received the customer first) does not
    // linger: with nothing unsent, the server's version is taken even though it looks older.
    const mine = { ...newer, status: 'arrived' as const, intakeId: crypto.randomUUID(), updatedAt: '2099-06-01T00:00:00.000Z' };
    await getDb().appointments.put(mine);
    const theirs = { ...newer, status: 'arrived' as const, intakeId: crypto.randomUUID(), updatedAt: '2099-02-01T00:00:00.000Z' };
    expect(await applyPulledRecord(getDb(), 'appointment', theirs)).toBe('stored');
    expect((await getDb().appointments.get(fromDms.id))?.intakeId).toBe(theirs.intakeId);
  });
});
