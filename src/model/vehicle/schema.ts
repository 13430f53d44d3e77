/**
 * The vehicle (issue 11): one per car of a dealership, keyed by VIN, derived by the server from
 * signed intakes (a trigger in the same transaction as the intake write, migrations/0005) and
 * never written by a tablet. A car signed without a valid VIN is a plate-only vehicle (`vin` null)
 * until an intake with a VIN and its plate is signed; then that VIN becomes the vehicle's.
 *
 * `VehicleIndexEntry` is the compact row a tablet keeps for every vehicle of its dealership
 * (GET /api/sync/vehicles?since=<cursor>, pulled like every other change): enough to find the car
 * by plate prefix or VIN with no network and to offer the last visit's customer and vehicle data.
 * `VehicleDetail` is what GET /api/vehicles answers: the entry, its visits newest first and its
 * open items (damage not recorded as repaired, declined work).
 */
import { z } from 'zod';
import { isoTime, uuidText } from '../text';
import { carriedWorkSchema, previousDamageSchema } from './historySection';

export const vehicleCustomerSchema = z.object({ name: z.string(), salutation: z.string(), mobile: z.string() });

export const vehicleIndexEntrySchema = z.object({
  id: uuidText,
  /** The change number of the intake that last touched it (the index's pull order). */
  seq: z.number().int(),
  vin: z.string().nullable(),
  /** The plate it carries now, and every plate it has carried (current included). */
  plate: z.string(),
  plates: z.array(z.string()),
  make: z.string(),
  model: z.string(),
  year: z.number().int().nullable(),
  colour: z.string(),
  /** The newest visit's customer: offered, never filled in without the advisor's tap. */
  customer: vehicleCustomerSchema,
  lastVisitAt: isoTime,
  lastOdometerKm: z.number().int().nullable(),
  lastIntakeId: uuidText,
  visits: z.number().int(),
});
export type VehicleIndexEntry = z.infer<typeof vehicleIndexEntrySchema>;

export const vehiclePullResponseSchema = z.object({
  vehicles: z.array(vehicleIndexEntrySchema),
  cursor: z.number().int(),
  more: z.boolean(),
});
export type VehiclePullResponse = z.infer<typeof vehiclePullResponseSchema>;

export const vehicleVisitSchema = z.object({
  intakeId: uuidText,
  at: isoTime,
  odometerKm: z.number().int().nullable(),
  /** signed at intake; checked by a technician; handed over. */
  status: z.enum(['signed', 'checked', 'handedOver']),
  contentHash: z.string(),
});

export const vehicleDetailSchema = vehicleIndexEntrySchema.extend({
  visitList: z.array(vehicleVisitSchema),
  openItems: z.object({ damage: z.array(previousDamageSchema), declined: z.array(carriedWorkSchema) }),
});
export type VehicleDetail = z.infer<typeof vehicleDetailSchema>;
export const vehicleListResponseSchema = z.object({ vehicles: z.array(vehicleDetailSchema) });
