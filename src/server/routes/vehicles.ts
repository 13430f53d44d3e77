/**
 * The car's history over HTTP (issue 11), scoped to the session's dealership (another
 * dealership's vehicle is 404 exactly like a nonexistent one):
 *   GET /api/sync/vehicles?since=N&limit=M  the tablet's compact vehicle index after a cursor, in
 *                                           change order (like /api/sync/pull; never skips: a
 *                                           vehicle row takes the seq of the intake write that
 *                                           touched it, under the same counter lock, migrations/0005)
 *   GET /api/vehicles?plate=…  |  ?vin=…    the matching vehicles, each with its visits newest first
 *                                           and its open items (damage not repaired, declined work)
 *   GET /api/vehicles/:id                   the same for one vehicle
 * The vehicles are derived by the database from signed intakes; nothing here writes.
 * Open items come from the newest visit's record through the shared rules (src/model/vehicle/history.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound, parseBody } from '../errors';
import { requireAuth } from '../context';
import { sendJsonText } from '../compressed';
import { queryInt } from './sync';
import { normalisePlate, normaliseVin } from '../../model/intake/vehicle';
import { carriedWork, openDamage, type FollowUpFindings } from '../../model/vehicle/history';
import type { Intake } from '../../model/intake/schema';
import type { VehicleDetail, VehicleIndexEntry } from '../../model/vehicle/schema';

export const VEHICLE_PULL_DEFAULT_LIMIT = 2000;
export const VEHICLE_PULL_MAX_LIMIT = 5000;
const MAX_MATCHES = 20;

const pullQuery = z.object({
  since: queryInt(0, Number.MAX_SAFE_INTEGER, 0),
  limit: queryInt(1, VEHICLE_PULL_MAX_LIMIT, VEHICLE_PULL_DEFAULT_LIMIT),
});

const findQuery = z
  .object({ plate: z.string().max(20).optional(), vin: z.string().max(20).optional() })
  .refine((q) => (q.plate !== undefined) !== (q.vin !== undefined), { message: 'give exactly one of plate or vin' })
  .transform((q): { plate: string } | { vin: string } => (q.plate !== undefined ? { plate: normalisePlate(q.plate) } : { vin: normaliseVin(q.vin ?? '') }))
  .refine((q) => ('plate' in q ? q.plate.length >= 2 : q.vin.length === 17), { message: 'a plate of at least 2 characters or a 17-character VIN' });

const uuid = z.string().uuid();

/** One index entry as JSON, built by the database (the fields of vehicleIndexEntrySchema). */
const ENTRY_JSON = `json_build_object('id', v.id, 'seq', v.seq, 'vin', v.vin, 'plate', v.plate, 'plates', v.plates,
  'make', v.make, 'model', v.model, 'year', v.year, 'colour', v.colour, 'customer', v.customer,
  'lastVisitAt', to_char(v.last_visit_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'lastOdometerKm', v.last_odometer_km, 'lastIntakeId', v.last_intake_id, 'visits', v.visit_count)`;

const PULL_SQL = `SELECT ${ENTRY_JSON}::text AS j, v.seq::text AS s FROM vehicles v
  WHERE v.dealership_id = $1 AND v.seq > $2 ORDER BY v.seq LIMIT $3 + 1`;

const VISITS_SQL = `SELECT i.id, i.data->>'signedAt' AS at, i.data->'visit'->'odometerKm' AS odo, i.content_hash AS hash,
    EXISTS (SELECT 1 FROM handovers h WHERE h.dealership_id = i.dealership_id AND h.intake_id = i.id AND h.content_hash IS NOT NULL) AS handed,
    EXISTS (SELECT 1 FROM tech_checks t WHERE t.dealership_id = i.dealership_id AND t.intake_id = i.id AND t.content_hash IS NOT NULL) AS checked
  FROM intakes i WHERE i.dealership_id = $1 AND i.vehicle_id = $2 AND i.status = 'signed'
  ORDER BY i.data->>'signedAt' DESC, i.seq DESC`;

interface VisitRow {
  id: string;
  at: string;
  odo: number | null;
  hash: string | null;
  handed: boolean;
  checked: boolean;
}

export function vehicleRoutes(app: FastifyInstance): void {
  const q = <T>(text: string, params: unknown[], name?: string) => app.wa.database.query<T>(text, params, name);

  async function detail(dealershipId: string, entry: VehicleIndexEntry): Promise<VehicleDetail> {
    const [visits, last, later] = await Promise.all([
      q<VisitRow>(VISITS_SQL, [dealershipId, entry.id], 'wa_vehicle_visits'),
      q<{ data: Intake }>(`SELECT data FROM intakes WHERE dealership_id = $1 AND id = $2`, [dealershipId, entry.lastIntakeId], 'wa_vehicle_last'),
      // The last visit's technician checks and handovers: new damage they recorded stays open too.
      q<{ data: FollowUpFindings }>(
        `SELECT data FROM tech_checks WHERE dealership_id = $1 AND intake_id = $2 UNION ALL SELECT data FROM handovers WHERE dealership_id = $1 AND intake_id = $2`,
        [dealershipId, entry.lastIntakeId],
        'wa_vehicle_last_followups',
      ),
    ]);
    const lastVisit = last[0]?.data;
    return {
      ...entry,
      visitList: visits.map((v) => ({
        intakeId: v.id,
        at: v.at,
        odometerKm: typeof v.odo === 'number' ? v.odo : null,
        status: v.handed ? 'handedOver' : v.checked ? 'checked' : 'signed',
        contentHash: v.hash ?? '',
      })),
      openItems: lastVisit ? { damage: openDamage(lastVisit, later.map((r) => r.data)), declined: carriedWork(lastVisit) } : { damage: [], declined: [] },
    };
  }

  app.get('/api/sync/vehicles', { compress: false }, async (req, reply) => {
    const auth = requireAuth(req.auth);
    const p = parseBody(pullQuery, req.query, 'query');
    const rows = await q<{ j: string; s: string }>(PULL_SQL, [auth.dealershipId, p.since, p.limit], 'wa_vehicle_pull');
    const page = rows.slice(0, p.limit);
    const cursor = page.length ? Number(page[page.length - 1]?.s) : p.since;
    return sendJsonText(req, reply, `{"vehicles":[${page.map((r) => r.j).join(',')}],"cursor":${cursor},"more":${rows.length > p.limit}}`);
  });

  app.get('/api/vehicles', async (req) => {
    const auth = requireAuth(req.auth);
    const f = parseBody(findQuery, req.query, 'query');
    const rows =
      'plate' in f
        ? await q<{ e: VehicleIndexEntry }>(`SELECT ${ENTRY_JSON} AS e FROM vehicles v WHERE v.dealership_id = $1 AND $2 = ANY(v.plates) ORDER BY v.last_visit_at DESC LIMIT ${MAX_MATCHES}`, [auth.dealershipId, f.plate], 'wa_vehicles_by_plate')
        : await q<{ e: VehicleIndexEntry }>(`SELECT ${ENTRY_JSON} AS e FROM vehicles v WHERE v.dealership_id = $1 AND v.vin = $2`, [auth.dealershipId, f.vin], 'wa_vehicles_by_vin');
    return { vehicles: await Promise.all(rows.map((r) => detail(auth.dealershipId, r.e))) };
  });

  app.get('/api/vehicles/:id', async (req: FastifyRequest) => {
    const auth = requireAuth(req.auth);
    const id = (req.params as { id?: string }).id ?? '';
    if (!uuid.safeParse(id).success) throw notFound('no such vehicle');
    const [r] = await q<{ e: VehicleIndexEntry }>(`SELECT ${ENTRY_JSON} AS e FROM vehicles v WHERE v.dealership_id = $1 AND v.id = $2`, [auth.dealershipId, id.toLowerCase()], 'wa_vehicle_by_id');
    if (!r) throw notFound('no such vehicle');
    return detail(auth.dealershipId, r.e);
  });
}


