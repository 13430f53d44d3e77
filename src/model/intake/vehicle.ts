/**
 * Vehicle identity: licence plate and VIN rules.
 * Plates: mainland-China formats (7-character standard, 8-character new-energy) are checked;
 * anything else (Hong Kong/Macau, temporary, foreign, military) is allowed on purpose when the
 * advisor ticks "other plate format", because a real car in the lane must never be refused.
 */
import { z } from 'zod';
import { formText } from '../text';

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领';
/** Standard 7-character plate: province, issuing-authority letter, 5 of letters/digits, or a special suffix. */
const STANDARD = new RegExp(`^[${PROVINCES}][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]$`);
/** New-energy 8-character plates: small cars D/F + 5 (letter/digit then 4 digits); large vehicles 5 digits + D/F. */
const NEW_ENERGY = new RegExp(`^[${PROVINCES}][A-HJ-NP-Z](?:[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF])$`);

export type PlateKind = 'standard' | 'new-energy' | 'other' | 'invalid';

export function normalisePlate(raw: string): string {
  return raw.replace(/[\s·.-]/g, '').toUpperCase();
}

export function plateKind(raw: string): PlateKind {
  const p = normalisePlate(raw);
  if (!p) return 'invalid';
  if (NEW_ENERGY.test(p)) return 'new-energy';
  if (STANDARD.test(p)) return 'standard';
  return /^[\p{L}\p{N}]{2,12}$/u.test(p) ? 'other' : 'invalid';
}

const VIN_CHARS = /^[A-HJ-NPR-Z0-9]{17}$/;
const TRANSLIT: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export function normaliseVin(raw: string): string {
  return raw.replace(/\s/g, '').toUpperCase();
}

/** ISO 3779 / GB 16735 check digit (position 9). Returns true when the VIN's 9th character matches. */
export function vinCheckDigitOk(vin: string): boolean {
  const v = normaliseVin(vin);
  if (!VIN_CHARS.test(v)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = v[i] as string;
    const n = /[0-9]/.test(c) ? Number(c) : (TRANSLIT[c] ?? 0);
    sum += n * (WEIGHTS[i] as number);
  }
  const r = sum % 11;
  return v[8] === (r === 10 ? 'X' : String(r));
}

export const vinSchema = z
  .string()
  .transform(normaliseVin)
  .refine((v) => v.length === 17, { message: 'vin.length' })
  .refine((v) => VIN_CHARS.test(v), { message: 'vin.chars' });

export const vehicleSchema = z
  .object({
    plate: z.string().transform(normalisePlate),
    plateOther: z.boolean(),
    vin: vinSchema,
    make: formText(40).min(1, 'required'),
    model: formText(60).min(1, 'required'),
    year: z.number().int().min(1950, 'year.range').max(new Date().getFullYear() + 1, 'year.range').nullable(),
    colour: formText(30),
  })
  .superRefine((v, ctx) => {
    const kind = plateKind(v.plate);
    if (kind === 'invalid') ctx.addIssue({ code: 'custom', path: ['plate'], message: 'plate.invalid' });
    else if (kind === 'other' && !v.plateOther) ctx.addIssue({ code: 'custom', path: ['plate'], message: 'plate.notMainland' });
  });

export type Vehicle = z.input<typeof vehicleSchema>;
