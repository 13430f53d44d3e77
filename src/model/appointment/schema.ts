/**
 * The appointment (预约): step 1 of the core process, the booking that feeds reception. One
 * schema for the tablet's store, the advisor's form, the DMS import and the server.
 *
 * Made on a tablet by an advisor, or sent by the dealership's DMS (`externalId`, unique per
 * dealership: the same external id again updates the same appointment). `date` and `time` are
 * the dealership's local calendar date and hour slot, as the customer was told them (no time
 * zone: the lane and the customer share one clock). An appointment is never signed and never
 * frozen; its status moves booked → arrived / no-show / cancelled by the rules of
 * `mayChangeStatus` (an arrival is final: the car is here and an intake exists, `intakeId`).
 */
import { z } from 'zod';
import { personRefSchema } from '../intake/schema';
import { MOBILE } from '../intake/customer';
import { formText, isoTime, LIMITS, storableText, uuidText } from '../text';

export const SERVICE_TYPES = ['maintenance', 'repair', 'accident', 'tyres', 'other'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** The words on the record (the intake's complaint), as the dealership's paperwork is in Chinese. */
export const SERVICE_TYPE_ZH: Record<ServiceType, string> = {
  maintenance: '保养',
  repair: '故障维修',
  accident: '事故维修',
  tyres: '轮胎',
  other: '其他',
};

/** What the customer is reminded to bring: 随车文件, 防盗器密码, 防盗螺栓钥匙, 维修记录. */
export const BRING_ITEMS = ['vehicleDocuments', 'immobiliserCode', 'wheelLockKey', 'serviceRecords'] as const;
export type BringItem = (typeof BRING_ITEMS)[number];

export const APPOINTMENT_STATUSES = ['booked', 'arrived', 'noShow', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** A calendar date YYYY-MM-DD that exists, between 2000 and 2099. */
export const appointmentDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'appointment.date')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= '2000-01-01' && s < '2100-01-01';
  }, 'appointment.date');

/** A slot time HH:MM (24 h). */
export const appointmentTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'appointment.time');

export const durationMinutes = z.number().int('number.integer').min(5, 'appointment.duration').max(24 * 60, 'appointment.duration');

const bringList = z
  .array(z.enum(BRING_ITEMS))
  .max(BRING_ITEMS.length)
  .refine((l) => new Set(l).size === l.length, 'invalid');

/** The booking itself: what the advisor or the DMS can set. */
export const appointmentDetailsSchema = z.object({
  date: appointmentDate,
  time: appointmentTime,
  durationMinutes: durationMinutes.nullable(),
  customer: z.object({ name: storableText(LIMITS.name), mobile: storableText(20) }),
  vehicle: z.object({ plate: storableText(16), vin: storableText(20), make: storableText(40), model: storableText(60) }),
  serviceType: z.enum(SERVICE_TYPES),
  /** The customer's words: what happens, since when, warning lights, noises, smells. */
  symptoms: storableText(LIMITS.longNote),
  /** The advisor the customer asked for (id '' when the DMS knows only a name). */
  advisor: personRefSchema.nullable(),
  bring: bringList,
  note: storableText(LIMITS.note),
});
export type AppointmentDetails = z.infer<typeof appointmentDetailsSchema>;

export const appointmentSchema = appointmentDetailsSchema.extend({
  id: uuidText,
  /** The DMS's id of this appointment; '' when made on a tablet. Unique per dealership. */
  externalId: storableText(64),
  source: z.enum(['tablet', 'dms']),
  status: z.enum(APPOINTMENT_STATUSES),
  /** The intake started when the customer arrived (the link intake ↔ appointment). */
  intakeId: uuidText.nullable(),
  statusAt: isoTime.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type Appointment = z.infer<typeof appointmentSchema>;

/**
 * Which status changes a person (or the DMS) may make. Booked goes anywhere; a no-show may still
 * arrive late, be cancelled or booked again; a cancelled appointment may be booked again (the
 * customer rebooked). Arrived is final: an intake exists.
 */
export function mayChangeStatus(from: AppointmentStatus, to: AppointmentStatus): boolean {
  if (from === to) return true;
  if (from === 'arrived') return false;
  if (from === 'cancelled') return to === 'booked';
  return true;
}

/** A new appointment made on this tablet, with every reminder ticked (the manuals' list). */
export function newAppointment(opts: { id: string; details: AppointmentDetails; now?: Date; externalId?: string; source?: 'tablet' | 'dms' }): Appointment {
  const now = (opts.now ?? new Date()).toISOString();
  return {
    ...opts.details,
    id: opts.id,
    externalId: opts.externalId ?? '',
    source: opts.source ?? 'tablet',
    status: 'booked',
    intakeId: null,
    statusAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

// ------------------------------------------------------------------ the advisor's form

/** The form on the tablet: the same fields, with the checks a person should see (i18n keys). */
export const appointmentFormSchema = z
  .object({
    date: appointmentDate,
    time: appointmentTime,
    durationMinutes: durationMinutes.nullable(),
    customer: z.object({
      name: formText(LIMITS.name).min(1, 'required'),
      mobile: z
        .string()
        .transform((s) => s.replace(/[\s-]/g, ''))
        .refine((s) => s === '' || MOBILE.test(s), { message: 'mobile.invalid' }),
    }),
    vehicle: z.object({ plate: formText(16).transform((s) => s.toUpperCase()), vin: formText(20).transform((s) => s.toUpperCase()), make: formText(40), model: formText(60) }),
    serviceType: z.enum(SERVICE_TYPES),
    symptoms: formText(LIMITS.longNote),
    advisor: personRefSchema.nullable(),
    bring: bringList,
    note: formText(LIMITS.note),
  })
  .superRefine((v, ctx) => {
    if (!v.vehicle.plate && !v.vehicle.vin) ctx.addIssue({ code: 'custom', path: ['vehicle', 'plate'], message: 'appointment.plateOrVin' });
  });
export type AppointmentForm = z.input<typeof appointmentFormSchema>;

// ------------------------------------------------------------------ what a DMS sends

/**
 * `POST /api/appointments`: what the dealership's DMS sends, e.g.
 * {"externalId":"DMS-1","date":"2026-12-01","time":"15:00","customer":{"name":"钱女士",
 *  "mobile":"13900139000"},"vehicle":{"plate":"沪A12345","vin":""},"serviceType":"maintenance",
 *  "symptoms":"保养","durationMinutes":60}. Unknown fields are ignored; a malformed one is 400.
 */
export const dmsAppointmentSchema = z.object({
  externalId: formText(64).min(1, 'required'),
  date: appointmentDate,
  time: appointmentTime,
  durationMinutes: durationMinutes.nullable().optional(),
  customer: z.object({
    name: formText(LIMITS.name).min(1, 'required'),
    mobile: z
      .string()
      .transform((s) => s.replace(/[\s-]/g, ''))
      .refine((s) => s === '' || MOBILE.test(s), { message: 'mobile.invalid' })
      .optional(),
  }),
  vehicle: z
    .object({ plate: formText(16).optional(), vin: formText(20).optional(), make: formText(40).optional(), model: formText(60).optional() })
    .refine((v) => !!(v.plate || v.vin), { message: 'appointment.plateOrVin', path: ['plate'] }),
  serviceType: z.enum(SERVICE_TYPES),
  symptoms: formText(LIMITS.longNote).optional(),
  advisor: z.object({ id: formText(64).optional(), name: formText(LIMITS.name).min(1) }).nullable().optional(),
  bring: bringList.optional(),
  note: formText(LIMITS.note).optional(),
  /** A DMS may cancel (or book again); arrivals and no-shows are the lane's to record. */
  status: z.enum(['booked', 'cancelled']).optional(),
});
export type DmsAppointment = z.infer<typeof dmsAppointmentSchema>;

/** The booking details a DMS message sets (absent optional fields take the defaults). */
export function detailsFromDms(m: DmsAppointment): AppointmentDetails {
  return {
    date: m.date,
    time: m.time,
    durationMinutes: m.durationMinutes ?? null,
    customer: { name: m.customer.name, mobile: m.customer.mobile ?? '' },
    vehicle: { plate: (m.vehicle.plate ?? '').toUpperCase(), vin: (m.vehicle.vin ?? '').toUpperCase(), make: m.vehicle.make ?? '', model: m.vehicle.model ?? '' },
    serviceType: m.serviceType,
    symptoms: m.symptoms ?? '',
    advisor: m.advisor ? { id: m.advisor.id ?? '', name: m.advisor.name } : null,
    bring: m.bring ?? [...BRING_ITEMS],
    note: m.note ?? '',
  };
}
