/**
 * The car's history on the tablet (issue 11), read with no network:
 * - the vehicle index (vehicleIndex.ts, pulled from the server by src/sync/pullVehicles.ts), looked
 *   up by plate prefix (any plate the car has carried) or VIN prefix;
 * - the car's earlier visits: the signed intakes this tablet holds with its VIN, or with one of its
 *   plates and no other VIN. A car signed on this tablet and not synced yet is found too: a signed
 *   local intake newer than the index's last visit counts as the last visit.
 * `historyPrefill(plateOrVin)` is what a new intake starts from (the first step's "fill from the
 * last visit", and an intake started from an appointment); `applyHistoryPrefill` writes it through
 * the one write path (mutate), customer data only when the advisor chose it (never silently reused).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, type WalkaroundDB } from './db';
import { readDevice, writeDevice } from './device';
import { loadIndex, prefixMatches } from './vehicleIndex';

export { putVehiclePage } from './vehicleIndex';
import { updateSection } from './intakeWrites';
import type { Intake, SectionValue } from '../model/intake/schema';
import type { VehicleIndexEntry } from '../model/vehicle/schema';
import type { HistorySection } from '../model/vehicle/historySection';
import { historyFor, repeatMatches, visitsNewestFirst, type RepeatMatch } from '../model/vehicle/history';

export type { VehicleIndexEntry } from '../model/vehicle/schema';
export type { RepeatMatch } from '../model/vehicle/history';

/** A vehicle as a lookup finds it; `fromIndex` false: known only from this tablet's own intakes. */
export interface VehicleMatch extends VehicleIndexEntry {
  fromIndex: boolean;
}

export interface HistoryPrefill {
  vehicle: VehicleMatch;
  customer: SectionValue<'customer'>;
  vehicleSection: SectionValue<'vehicle'>;
  history: HistorySection;
}

const VIN_LIKE = /^[A-HJ-NPR-Z0-9]{6,17}$/;
/** As normalisePlate / normaliseVin (src/model/intake/vehicle.ts), without loading zod here. */
const normalise = (raw: string) => raw.replace(/[\s·.-]/g, '').toUpperCase();
const validVin = (v: string) => /^[A-HJ-NPR-Z0-9]{17}$/.test(normalise(v));

function entryFromIntake(i: Intake): VehicleMatch {
  const plate = normalise(i.vehicle.plate);
  return {
    id: '',
    seq: 0,
    vin: validVin(i.vehicle.vin) ? normalise(i.vehicle.vin) : null,
    plate,
    plates: plate ? [plate] : [],
    make: i.vehicle.make,
    model: i.vehicle.model,
    year: i.vehicle.year,
    colour: i.vehicle.colour,
    customer: { ...i.customer },
    lastVisitAt: i.signedAt ?? i.updatedAt,
    lastOdometerKm: i.visit.odometerKm,
    lastIntakeId: i.id,
    visits: 1,
    fromIndex: false,
  };
}

/** Whether a signed intake is a visit of this vehicle (its VIN, or one of its plates and no other VIN). */
export function isVisitOf(v: Pick<VehicleIndexEntry, 'vin' | 'plates'>, i: Intake): boolean {
  const vin = validVin(i.vehicle.vin) ? normalise(i.vehicle.vin) : null;
  if (vin && v.vin) return vin === v.vin;
  return v.plates.includes(normalise(i.vehicle.plate));
}

/** Fold signed local intakes into the index rows: a newer local visit becomes the last visit. */
function withLocal(rows: VehicleMatch[], local: Intake[]): VehicleMatch[] {
  const out = [...rows];
  for (const i of visitsNewestFirst(local).reverse()) {
    const at = i.signedAt ?? i.updatedAt;
    const k = out.findIndex((v) => isVisitOf(v, i));
    const e = out[k];
    if (!e) out.push(entryFromIntake(i));
    else if (at > e.lastVisitAt) {
      const plate = normalise(i.vehicle.plate) || e.plate;
      out[k] = { ...e, ...entryFromIntake(i), id: e.id, seq: e.seq, vin: e.vin ?? entryFromIntake(i).vin, plate, plates: e.plates.includes(plate) ? e.plates : [...e.plates, plate], visits: e.visits + 1, fromIndex: e.fromIndex };
    }
  }
  return out;
}

/**
 * Vehicles whose plate (any it carried) or VIN starts with what was typed, newest visit first.
 * Two characters at least (a province and a letter); index reads only, bounded by `limit`.
 */
export async function findVehicles(typed: string, limit = 8, db: WalkaroundDB = getDb()): Promise<VehicleMatch[]> {
  const q = normalise(typed);
  if (q.length < 2) return [];
  const [index, localByPlate, localByVin] = await Promise.all([
    loadIndex(db),
    db.intakes.where('vehicle.plate').startsWith(q).limit(limit * 4).toArray(),
    VIN_LIKE.test(q) ? db.intakes.where('vehicle.vin').startsWith(q).limit(limit * 4).toArray() : Promise.resolve([]),
  ]);
  const seen = new Map<string, VehicleMatch>();
  for (const v of prefixMatches(index, q, limit * 4)) seen.set(v.id, { ...v, fromIndex: true });
  const local = [...localByPlate, ...localByVin].filter((i) => i.status === 'signed');
  return withLocal([...seen.values()], local)
    .sort((a, b) => b.lastVisitAt.localeCompare(a.lastVisitAt))
    .slice(0, limit);
}

/** The signed intakes of this vehicle that this tablet holds, newest first. */
export async function localVisits(v: Pick<VehicleIndexEntry, 'vin' | 'plates'>, db: WalkaroundDB = getDb()): Promise<Intake[]> {
  const [byVin, byPlate] = await Promise.all([
    v.vin ? db.intakes.where('vehicle.vin').equals(v.vin).toArray() : Promise.resolve([]),
    v.plates.length ? db.intakes.where('vehicle.plate').anyOf(v.plates).toArray() : Promise.resolve([]),
  ]);
  const all = new Map<string, Intake>();
  for (const i of [...byVin, ...byPlate]) if (i.status === 'signed' && isVisitOf(v, i)) all.set(i.id, i);
  return visitsNewestFirst([...all.values()]);
}

/** The vehicle whose plate (any it carried) or VIN is exactly this, newest visit first; null: unknown car. */
export async function vehicleByPlateOrVin(plateOrVin: string, db: WalkaroundDB = getDb()): Promise<VehicleMatch | null> {
  const q = normalise(plateOrVin);
  const found = (await findVehicles(q, 20, db)).filter((v) => v.vin === q || v.plates.includes(q));
  return found[0] ?? null;
}

/**
 * What a new intake of this car starts from: the last visit's customer and vehicle data, and the
 * history section (open damage and declined work of its newest visit on this tablet). Null when
 * neither the index nor this tablet's intakes know the plate or VIN. For helper screens that start
 * an intake (今日预约): call it, then `applyHistoryPrefill`.
 */
export async function historyPrefill(plateOrVin: string, db: WalkaroundDB = getDb()): Promise<HistoryPrefill | null> {
  const vehicle = await vehicleByPlateOrVin(plateOrVin, db);
  return vehicle ? prefillFor(vehicle, db) : null;
}

/** The prefill of one vehicle a lookup found (the advisor tapped it). */
export async function prefillFor(vehicle: VehicleMatch, db: WalkaroundDB = getDb()): Promise<HistoryPrefill> {
  const visits = await localVisits(vehicle, db);
  const last = visits[0];
  // The last visit's technician checks and handovers: new damage they recorded is carried too.
  const later = last ? (await Promise.all([db.techChecks.where('intakeId').equals(last.id).toArray(), db.handovers.where('intakeId').equals(last.id).toArray()])).flat() : [];
  const history = historyFor(vehicle.id, visits, () => later);
  // The index knows the last visit even when this tablet lacks its record.
  if (!last || vehicle.lastVisitAt > (last.signedAt ?? '')) history.lastVisit = { intakeId: vehicle.lastIntakeId, at: vehicle.lastVisitAt, odometerKm: vehicle.lastOdometerKm };
  return {
    vehicle,
    customer: { name: vehicle.customer.name, salutation: vehicle.customer.salutation, mobile: vehicle.customer.mobile },
    vehicleSection: {
      plate: vehicle.plate,
      plateOther: last ? normalise(last.vehicle.plate) === vehicle.plate && last.vehicle.plateOther : false,
      vin: vehicle.vin ?? '',
      make: vehicle.make,
      model: vehicle.model,
      year: vehicle.year,
      colour: vehicle.colour,
    },
    history,
  };
}

/** Fill a draft from the prefill: vehicle and history always, the customer only when chosen. */
export async function applyHistoryPrefill(intakeId: string, prefill: HistoryPrefill, opts: { customer?: boolean } = {}): Promise<Intake> {
  await updateSection(intakeId, 'vehicle', prefill.vehicleSection);
  const out = await updateSection(intakeId, 'history', prefill.history);
  return opts.customer === false ? out : updateSection(intakeId, 'customer', prefill.customer);
}

/** Earlier visits of the same car that this intake repeats (重复维修), within the tablet's window. */
export async function loadRepeatMatches(intake: Intake, db: WalkaroundDB = getDb()): Promise<RepeatMatch[]> {
  const plate = normalise(intake.vehicle.plate);
  const vin = validVin(intake.vehicle.vin) ? normalise(intake.vehicle.vin) : null;
  if (!plate && !vin) return [];
  const [visits, windowDays] = await Promise.all([localVisits({ vin, plates: plate ? [plate] : [] }, db), readDevice('repeatWindowDays', db)]);
  return repeatMatches(intake, visits, windowDays);
}

// -- live queries ---------------------------------------------------------------------------

/** Lookup as the advisor types (undefined while IndexedDB answers). */
export function useVehicleMatches(typed: string): VehicleMatch[] | undefined {
  return useLiveQuery(() => findVehicles(typed), [typed]);
}

export function useRepeatMatches(intake: Intake | null | undefined): RepeatMatch[] | undefined {
  return useLiveQuery(async () => (intake ? loadRepeatMatches(intake) : []), [intake]);
}

/** The signed visits of a vehicle on this tablet, newest first. */
export function useLocalVisits(v: Pick<VehicleIndexEntry, 'vin' | 'plates'> | null | undefined): Intake[] | undefined {
  const key = v ? `${v.vin ?? ''}|${v.plates.join(',')}` : '';
  return useLiveQuery(async () => (v ? localVisits(v) : []), [key]);
}

/** The vehicle with this plate (any it carried) or VIN (undefined while loading, null: unknown here). */
export function useVehicleByPlateOrVin(plateOrVin: string): VehicleMatch | null | undefined {
  return useLiveQuery(() => vehicleByPlateOrVin(plateOrVin), [plateOrVin]);
}

/** The tablet's repeat-repair window in days (default 90). */
export function useRepeatWindowDays(): number | undefined {
  return useLiveQuery(() => readDevice('repeatWindowDays'), []);
}

/** Change it (1 to 3650 days; anything else is refused by reading back as the default). */
export async function setRepeatWindowDays(days: number): Promise<void> {
  if (!Number.isInteger(days) || days < 1 || days > 3650) return;
  await writeDevice('repeatWindowDays', days);
}
