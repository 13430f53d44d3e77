/**
 * Field schemas for numeric inputs, with the i18n message keys of src/i18n/validation.ts. The
 * ranges are those of the section schemas in src/model/intake/schema.ts, so anything these
 * accept is storable and syncable.
 */
import { z } from 'zod';

export const odometerSchema = z.number().int('number.integer').min(0, 'odometer.range').max(3_000_000, 'odometer.range');

export const yearSchema = z
  .number()
  .int('number.integer')
  .min(1950, 'year.range')
  .max(new Date().getFullYear() + 1, 'year.range');

/** Money in yuan: ≥ 0, at most two decimals (fen). */
export const moneySchema = z
  .number()
  .min(0, 'money.negative')
  .max(10_000_000, 'money.max')
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, { message: 'money.decimals' });
