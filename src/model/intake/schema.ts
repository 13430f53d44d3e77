/**
 * The intake record (接车登记): one schema for the tablet's store, the forms and the server.
 *
 * A draft is allowed to be incomplete (the advisor types, the record autosaves every keystroke),
 * so the stored shape is structural: strings may be empty, numbers may be null. What must be true
 * before the customer may sign is checked by `readinessIssues` (src/model/intake/readiness.ts).
 *
 * The record is split into top-level SECTIONS. A local edit replaces one section; sync merges
 * concurrent edits of an unsigned draft section by section (see src/shared/protocol.ts).
 */
import { z } from 'zod';
import { SHA256_HEX } from '../../shared/sha256';
import { SECTIONS, type SectionName } from './sections';
import { boundedRecord, isoTime, keyText, LIMITS, storableText, uuidText } from '../text';
import { historySectionSchema } from '../vehicle/historySection';

export { SECTIONS, type SectionName };

const text = storableText;
const photoRef = z.string().regex(SHA256_HEX); // photos are addressed by the SHA-256 of their bytes
const money = z.number().min(0).max(10_000_000).nullable();

export const personRefSchema = z.object({ id: text(64), name: text(60) });

export const customerSectionSchema = z.object({ name: text(60), salutation: text(30), mobile: text(20) });

export const vehicleSectionSchema = z.object({
  plate: text(16),
  plateOther: z.boolean(),
  vin: text(20),
  make: text(40),
  model: text(60),
  year: z.number().int().nullable(),
  colour: text(30),
});

export const visitSectionSchema = z.object({
  odometerKm: z.number().int().min(0).max(3_000_000).nullable(),
  /** Fuel gauge in eighths (0 = empty … 8 = full); for an EV the battery level in eighths. */
  fuelEighths: z.number().int().min(0).max(8).nullable(),
  appointmentRef: text(40),
  /** Three-piece set (三件套) fitted in front of the customer. */
  protection: z.object({ seatCover: z.boolean(), wheelCover: z.boolean(), floorMat: z.boolean() }),
});

export const complaintSectionSchema = z.object({
  symptom: text(LIMITS.longNote),
  since: text(100),
  pattern: z.enum(['', 'constant', 'intermittent']),
  conditions: text(500),
  warningLights: text(300),
  noises: text(300),
  smells: text(300),
});

export const valuableAnswerSchema = z.enum(['taken', 'left', 'safekeeping']);
export const valuablesSectionSchema = z.object({
  /** Valuables reminder given (提醒顾客取走贵重物品). */
  reminded: z.boolean(),
  items: z
    .array(
      z.object({
        itemId: keyText,
        answer: valuableAnswerSchema.nullable(),
        description: text(200),
      }),
    )
    .max(LIMITS.valuables),
});

export const cabinSectionSchema = z.object({
  consent: z.boolean(),
  items: boundedRecord(z.object({ status: z.enum(['ok', 'issue']).nullable(), note: text(300), photos: z.array(photoRef).max(10) })),
});

export const markerSchema = z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) });

export const findingSchema = z.object({
  id: text(40),
  positionId: text(40),
  itemId: text(40),
  type: text(40),
  severity: text(40),
  marker: markerSchema.nullable(),
  photos: z.array(photoRef).max(20),
  note: text(500),
  /**
   * Why there is no photo (e.g. "顾客不同意拍照"), when the template asks for one. Optional and
   * left out when empty: findings of records signed before this field existed hash unchanged.
   */
  noPhotoReason: text(200).optional(),
  createdAt: isoTime,
  /** Who found it: at intake, at the technician's check, or at handover. */
  foundAt: z.enum(['intake', 'technician', 'handover']).default('intake'),
});

export const positionStateSchema = z.object({
  items: boundedRecord(z.enum(['ok', 'finding'])),
  /** Explicit "no damage here" (本方位无损伤). */
  noDamage: z.boolean(),
  completedAt: isoTime.nullable(),
});

export const walkaroundSectionSchema = z.object({
  positions: boundedRecord(positionStateSchema),
  findings: z.array(findingSchema).max(LIMITS.findings),
});

export const recommendationSchema = z.object({
  id: text(40),
  findingId: text(40).nullable(),
  title: text(200),
  safety: z.boolean(),
  decision: z.enum(['now', 'later']).nullable(),
  labour: money,
  parts: money,
});

export const addedServiceSchema = z.object({ id: text(40), title: text(200), labour: money, parts: money });

export const workSectionSchema = z.object({
  recommendations: z.array(recommendationSchema).max(100),
  addedServices: z.array(addedServiceSchema).max(100),
  estimateNote: text(500),
  promisedAt: text(40),
  payment: z.enum(['', 'cash', 'card', 'wechat', 'alipay', 'transfer', 'account']),
  oldParts: z.enum(['', 'take', 'leave']),
  freeWash: z.boolean().nullable(),
  documents: z.object({ registration: z.boolean(), serviceBooklet: z.boolean(), keys: z.number().int().min(0).max(10) }),
});

export const strokePointSchema = z.object({ x: z.number(), y: z.number(), time: z.number(), pressure: z.number().optional() });
export const strokeSchema = z.object({
  points: z.array(strokePointSchema).max(5000),
  penColor: text(40).optional(),
  dotSize: z.number().optional(),
  minWidth: z.number().optional(),
  maxWidth: z.number().optional(),
  velocityFilterWeight: z.number().optional(),
  compositeOperation: text(40).optional(),
});

export const signatureSchema = z.object({
  role: z.enum(['customer', 'advisor', 'technician']),
  name: text(60),
  /** Stroke data (signature_pad toData()) in CSS pixels of a pad of `width`×`height`. */
  strokes: z.array(strokeSchema).min(1).max(200),
  width: z.number().positive(),
  height: z.number().positive(),
  signedAt: isoTime,
  /** The content hash this signature is bound to. */
  contentHash: z.string().regex(SHA256_HEX),
});

export const amendmentSchema = z.object({
  id: text(40),
  at: isoTime,
  by: personRefSchema,
  text: text(LIMITS.longNote),
  /** Hash of the signed content this amendment refers to. */
  refersTo: z.string().regex(SHA256_HEX),
});


export const intakeContentSchema = z.object({
  id: uuidText,
  templateId: text(60),
  createdAt: isoTime,
  advisor: personRefSchema,
  customer: customerSectionSchema,
  vehicle: vehicleSectionSchema,
  visit: visitSectionSchema,
  complaint: complaintSectionSchema,
  valuables: valuablesSectionSchema,
  cabin: cabinSectionSchema,
  walkaround: walkaroundSectionSchema,
  work: workSectionSchema,
  /** What this visit took over from the car's earlier visits (absent on intakes made before it). */
  history: historySectionSchema.optional(),
});

export const intakeSchema = intakeContentSchema.extend({
  status: z.enum(['draft', 'signed']),
  updatedAt: isoTime,
  /** SHA-256 of canonicalJson(signedContent(intake)); set when signed, never changed after. */
  contentHash: z.string().regex(SHA256_HEX).nullable(),
  signedAt: isoTime.nullable(),
  signatures: z.array(signatureSchema).max(5),
  amendments: z.array(amendmentSchema).max(100),
});

export type IntakeContent = z.infer<typeof intakeContentSchema>;
export type Intake = z.infer<typeof intakeSchema>;
export type Finding = z.infer<typeof findingSchema>;
export type Recommendation = z.infer<typeof recommendationSchema>;
export type Signature = z.infer<typeof signatureSchema>;
export type Stroke = z.infer<typeof strokeSchema>;
export type Amendment = z.infer<typeof amendmentSchema>;
export type PositionState = z.infer<typeof positionStateSchema>;
export type SectionValue<S extends SectionName> = IntakeContent[S];
