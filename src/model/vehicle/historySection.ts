/**
 * The intake's `history` section (issue 11): what this visit took over from the car's earlier
 * visits, so the customer signs exactly what was shown (it is part of the signed content).
 *
 * - `previous`: damage recorded at earlier visits and not recorded as repaired, copied in when the
 *   intake was started from the car's history (date, place, photos as they were). The advisor
 *   marks each one `present` (still there), `repaired` or `notFound`; a new finding at the same
 *   place may link to it (`linkedFindingId`).
 * - `carried`: work recommended at earlier visits and declined (safety first), offered again;
 *   `recommendationId` names the recommendation it became on this order (null: not taken).
 * - `lastVisit`: the previous visit's date and odometer, for the "odometer lower" warning.
 *
 * The section is optional in the schema: intakes made before it have none, and their signed
 * content (and so their hash) stays exactly what it was. No zod-free copy is needed: only the
 * intake schema and the history screens load it.
 */
import { z } from 'zod';
import { SHA256_HEX } from '../../shared/sha256';
import { isoTime, LIMITS, storableText } from '../text';

const text = storableText;

export const DAMAGE_MARKS = ['present', 'repaired', 'notFound'] as const;
export type DamageMark = (typeof DAMAGE_MARKS)[number];

export const previousDamageSchema = z.object({
  /** `${intakeId}/${findingId}` of the visit where it was first recorded: one key per damage. */
  key: text(90),
  intakeId: text(40),
  findingId: text(40),
  /** When it was first recorded (that visit's signing time). */
  foundOn: isoTime,
  positionId: text(40),
  itemId: text(40),
  type: text(40),
  severity: text(40),
  marker: z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) }).nullable(),
  photos: z.array(z.string().regex(SHA256_HEX)).max(20),
  note: text(LIMITS.note),
  status: z.enum(DAMAGE_MARKS).nullable(),
  /** A finding of THIS visit at the same place that records it again. */
  linkedFindingId: text(40).nullable(),
});

export const carriedWorkSchema = z.object({
  /** `${intakeId}/${recommendationId}` of the visit where it was first recommended. */
  key: text(90),
  title: text(LIMITS.title),
  safety: z.boolean(),
  /** declined: recommended and refused; notCorrected: offered again before and still not done. */
  source: z.enum(['declined', 'notCorrected']),
  firstFoundAt: isoTime,
  recommendationId: text(40).nullable(),
});

export const historySectionSchema = z.object({
  /** The server's vehicle id when the intake was started from it ('' when none was known). */
  vehicleId: text(40),
  lastVisit: z.object({ intakeId: text(40), at: isoTime, odometerKm: z.number().int().min(0).max(3_000_000).nullable() }).nullable(),
  previous: z.array(previousDamageSchema).max(LIMITS.findings),
  carried: z.array(carriedWorkSchema).max(100),
});

export type PreviousDamage = z.infer<typeof previousDamageSchema>;
export type CarriedWork = z.infer<typeof carriedWorkSchema>;
export type HistorySection = z.infer<typeof historySectionSchema>;
