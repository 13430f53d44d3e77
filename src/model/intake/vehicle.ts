/**
 * Vehicle identity: licence plate and VIN rules.
 * Plates: the mainland-China formats of GA 36 are recognised by kind (standard 7-character,
 * new-energy 8-character, and the special ones that end in a character: coach 学, trailer 挂,
 * police 警, consulate 领, Guangdong's HK/Macau cross-border 港/澳, emergency 应急, and the
 * embassy plate 使 + 6 digits); anything else (a Hong Kong or foreign plate, temporary, military)
 * is allowed on purpose when the advisor ticks "other plate format", because a real car in the
 * lane must never be refused.
 */
import { z } from 'zod';
import { formText } from '../text';

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const P = `[${PROVINCES}]`;
const L = '[A-HJ-NP-Z]'; // issuing-authority letter: no I, no O
const A = '[A-HJ-NP-Z0-9]';

/** Standard 7-character plate: province, issuing-authority letter, 5 letters/digits. */
const STANDARD = new RegExp(`^${P}${L}${A}{5}$`);
/** New-energy 8-character plates: small cars D/F + 5 (letter/digit then 4 digits); large vehicles 5 digits + D/F. */
const NEW_ENERGY = new RegExp(`^${P}${L}(?:[DF]${A}[0-9]{4}|[0-9]{5}[DF])$`);

/** Plates recognised by their last character(s), in the order they are tried. */
const SPECIAL: readonly [SpecialPlateKind, RegExp][] = [
  // Coach (教练车) 苏E1234学; the 8-character form 京A12345学 is seen in the lane too.
  ['coach', new RegExp(`^${P}${L}${A}{4,5}学$`)],
  ['trailer', new RegExp(`^${P}${L}${A}{4}挂$`)],
  ['police', new RegExp(`^${P}${L}${A}{4}警$`)],
  ['consulate', new RegExp(`^${P}${L}[0-9]{4}领$`)],
  // Guangdong's cross-border plates for cars of Hong Kong and Macau: 粤Z1234港, 粤Z1234澳.
  ['hk-macau', new RegExp(`^粤Z${A}{4}[港澳]$`)],
  ['emergency', new RegExp(`^${P}${L}${A}{4,5}应急$`)],
  // Embassy (使馆): 使 and six digits (embassy code + serial).
  ['embassy', /^使[0-9]{6}$/],
];

type SpecialPlateKind = 'coach' | 'trailer' | 'police' | 'consulate' | 'hk-macau' | 'emergency' | 'embassy';
export type PlateKind = 'standard' | 'new-energy' | SpecialPlateKind | 'other' | 'invalid';
/** The kinds that are mainland formats: accepted without ticking "other plate format". */
export type MainlandPlateKind = Exclude<PlateKind, 'other' | 'invalid'>;

export function normalisePlate(raw: string): string {
  return raw.replace(/[\s·.-]/g, '').toUpperCase();
}

export function plateKind(raw: string): PlateKind {
  const p = normalisePlate(raw);
  if (!p) return 'invalid';
  if (NEW_ENERGY.test(p)) return 'new-energy';
  if (STANDARD.test(p)) return 'standard';
  for (const [kind, re] of SPECIAL) if (re.test(p)) return kind;
  return /^[\p{L}\p{N}]{2,12}$/u.test(p) ? 'other' : 'invalid';
}

export function isMainlandPlate(kind: PlateKind): kind is MainlandPlateKind {
  return kind !== 'other' && kind !== 'invalid';
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
    // An empty plate is missing, not malformed: "必填", like every other required field.
    if (!v.plate) ctx.addIssue({ code: 'custom', path: ['plate'], message: 'required' });
    else if (kind === 'invalid') ctx.addIssue({ code: 'custom', path: ['plate'], message: 'plate.invalid' });
    else if (kind === 'other' && !v.plateOther) ctx.addIssue({ code: 'custom', path: ['plate'], message: 'plate.notMainland' });
  });

export type Vehicle = z.input<typeof vehicleSchema>;
