/**
 * The sync protocol between tablet and server: the same zod schemas validate on both ends.
 *
 * Push (POST /api/sync/push): outbox mutations, each with a client-generated id. The server
 * applies a mutation and records its id in the same database transaction; a replay returns the
 * stored result and changes nothing. Results are per mutation, so one refused record never
 * blocks the others; the client quarantines what was refused and shows it.
 *
 * Concurrent edits of an unsigned draft are merged SECTION BY SECTION (customer, vehicle, …):
 * a patch names the section revision it was based on (`baseRev`). If the server's revision moved
 * on in between (another tablet changed the same section), the patch is answered `conflict` with
 * the server's current value; nothing is overwritten silently. The tablet keeps its own value as
 * a visible conflict until the user picks "mine" or "theirs", which is pushed as a new patch
 * based on the current revision. Edits of different sections merge without asking.
 *
 * Pull (GET /api/sync/pull?since=<cursor>): every intake changed after the cursor, in the
 * server-wide change order. Cursor positions are assigned under a lock, so a pull never skips.
 *
 * Blobs (HEAD/PUT/GET /api/blobs/<sha256>): photos and signature images by content hash.
 */
import { z } from 'zod';
import { SHA256_HEX } from './sha256';
import {
  amendmentSchema,
  intakeContentSchema,
  intakeSchema,
  SECTIONS,
  signatureSchema,
} from '../model/intake/schema';
import { techCheckSchema } from '../model/techCheck/schema';
import { isoTime, uuidText } from '../model/text';
import { handoverSchema } from '../model/handover/schema';
import { appointmentSchema } from '../model/appointment/schema';

/** 2: follow-up drafts (techCheckDraft, handoverDraft). Version 1 clients push the rest unchanged. */
export const PROTOCOL_VERSION = 2;
/** The server accepts pushes from clients of this protocol version and the one before it. */
export const MIN_PROTOCOL_VERSION = 1;

const mutationBase = {
  /** Client-generated UUID; the idempotency key. */
  id: uuidText,
  intakeId: uuidText,
  /** When the change was made on the tablet (ISO). */
  at: isoTime,
};

export const createMutationSchema = z.object({ ...mutationBase, op: z.literal('create'), intake: intakeSchema });
export const patchMutationSchema = z
  .object({
    ...mutationBase,
    op: z.literal('patch'),
    section: z.enum(SECTIONS),
    /** Must match the section's own schema (checked here, so a bad value is refused like any invalid mutation). */
    value: z.unknown(),
    /** The server revision of this section the tablet last saw; null before the first sync. */
    baseRev: z.number().int().min(0).nullable(),
  })
  .superRefine((m, ctx) => {
    const r = intakeContentSchema.shape[m.section].safeParse(m.value);
    if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: ['value', ...issue.path], message: issue.message });
  });
export const signMutationSchema = z.object({
  ...mutationBase,
  op: z.literal('sign'),
  content: intakeContentSchema,
  contentHash: z.string().regex(SHA256_HEX),
  signatures: z.array(signatureSchema).min(1).max(5),
  signedAt: isoTime,
});
export const amendMutationSchema = z.object({ ...mutationBase, op: z.literal('amend'), amendment: amendmentSchema });

/**
 * Follow-up records of a signed intake (technician's check 验收, handover 交车): their own
 * records, linked by intakeId + the intake's signed hash.
 *
 * Drafts (`techCheckDraft` / `handoverDraft`) carry the WHOLE draft record, autosaved (an unsent
 * draft entry is updated in place), so the server and the other tablets have the work before
 * sign-off. Last writer wins by the record's `updatedAt`: one person edits a check or a handover,
 * so there is nothing to merge field by field; a draft older than the stored one is answered
 * `duplicate` (superseded) and changes nothing, and a draft of a record already signed is refused.
 *
 * Sign-offs (`techCheck` / `handover`, the ops of protocol version 1, unchanged) carry the full
 * signed record. The server re-runs the kind's sign mutator on the record's draft content,
 * recomputes the hash, refuses a mismatch, stores it (replacing the draft), and refuses any
 * different record under the same id afterwards; an identical replay is a duplicate.
 */
export const techCheckMutationSchema = z.object({ ...mutationBase, op: z.literal('techCheck'), techCheck: techCheckSchema });
export const handoverMutationSchema = z.object({ ...mutationBase, op: z.literal('handover'), handover: handoverSchema });
export const techCheckDraftMutationSchema = z.object({ ...mutationBase, op: z.literal('techCheckDraft'), techCheck: techCheckSchema });
export const handoverDraftMutationSchema = z.object({ ...mutationBase, op: z.literal('handoverDraft'), handover: handoverSchema });

/**
 * Appointments (预约, src/model/appointment): the whole record travels. `appointment` is a new or
 * changed booking (the server creates it, or replaces the booking part of its stored record and
 * keeps its status); `appointmentStatus` is a status change (arrived with its intake, no-show,
 * cancelled, booked again) the server re-runs on its stored record. `intakeId` carries the
 * appointment's own id. A record with the external id of a stored one updates that one.
 */
export const appointmentMutationSchema = z.object({ ...mutationBase, op: z.literal('appointment'), appointment: appointmentSchema });
export const appointmentStatusMutationSchema = z.object({ ...mutationBase, op: z.literal('appointmentStatus'), appointment: appointmentSchema });

export const mutationSchema = z.discriminatedUnion('op', [
  createMutationSchema,
  patchMutationSchema,
  signMutationSchema,
  amendMutationSchema,
  techCheckMutationSchema,
  handoverMutationSchema,
  techCheckDraftMutationSchema,
  handoverDraftMutationSchema,
  appointmentMutationSchema,
  appointmentStatusMutationSchema,
]);
export type Mutation = z.infer<typeof mutationSchema>;
export type MutationOp = Mutation['op'];

export const pushRequestSchema = z.object({
  protocolVersion: z.number().int(),
  mutations: z.array(mutationSchema).min(1).max(500),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const mutationResultSchema = z.object({
  mutationId: z.string().uuid(),
  status: z.enum(['applied', 'duplicate', 'conflict', 'rejected']),
  /** Words for a human when status is conflict or rejected. */
  reason: z.string().optional(),
  /**
   * With `rejected`: the refusal can become valid later (the intake is not there yet, not signed
   * yet, or the acting staff member may not run this mutation). The server did NOT record it; the
   * tablet keeps the mutation pending and sends it again. A client that predates this field
   * quarantines it, as it did before.
   */
  retry: z.boolean().optional(),
  /** For patches: the section's revision after this mutation (or the current one on conflict). */
  sectionRev: z.number().int().optional(),
  /** On conflict: the server's current value of the section. */
  serverValue: z.unknown().optional(),
});
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResponseSchema = z.object({ results: z.array(mutationResultSchema) });
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const pulledIntakeSchema = z.object({
  seq: z.number().int(),
  intake: intakeSchema,
  sectionRevs: z.record(z.string(), z.number().int()),
  /** Photo hashes the record refers to that the server does not hold yet (visibly incomplete). */
  missingPhotos: z.array(z.string().regex(SHA256_HEX)),
});
export type PulledIntake = z.infer<typeof pulledIntakeSchema>;

export const pulledTechCheckSchema = z.object({ seq: z.number().int(), techCheck: techCheckSchema });
export const pulledHandoverSchema = z.object({ seq: z.number().int(), handover: handoverSchema });
export type PulledTechCheck = z.infer<typeof pulledTechCheckSchema>;
export type PulledHandover = z.infer<typeof pulledHandoverSchema>;
export const pulledAppointmentSchema = z.object({ seq: z.number().int(), appointment: appointmentSchema });
export type PulledAppointment = z.infer<typeof pulledAppointmentSchema>;

export const pullResponseSchema = z.object({
  changes: z.array(pulledIntakeSchema),
  /** Technician's checks and handovers after the cursor, drafts and signed (optional: older servers omit them). */
  techChecks: z.array(pulledTechCheckSchema).optional(),
  handovers: z.array(pulledHandoverSchema).optional(),
  /** Appointments after the cursor (optional: older servers omit them). */
  appointments: z.array(pulledAppointmentSchema).optional(),
  cursor: z.number().int(),
  more: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_BLOB_BYTES = 8 * 1024 * 1024;

/** Hashes one `POST /api/blobs/missing` may ask about (a tablet asks per batch of photos). */
export const MAX_MISSING_QUERY = 500;
export const blobsMissingRequestSchema = z.object({
  hashes: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256')).min(1).max(MAX_MISSING_QUERY),
});
/** The asked hashes this dealership does not hold, in the order asked (a blob only another dealership holds is missing too). */
export const blobsMissingResponseSchema = z.object({ missing: z.array(z.string()) });
export type BlobsMissingResponse = z.infer<typeof blobsMissingResponseSchema>;

export const apiErrorSchema = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional() });
export type ApiError = z.infer<typeof apiErrorSchema>;
