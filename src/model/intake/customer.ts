import { z } from 'zod';
import { formText } from '../text';

/** Mainland mobile (11 digits, 1[3-9]…) or an international number with a leading +. */
export const MOBILE = /^(?:1[3-9]\d{9}|\+\d{7,15})$/;

export const customerSchema = z.object({
  name: formText(60).min(1, 'required'),
  /** How the customer wishes to be addressed (称呼), e.g. 王先生. */
  salutation: formText(30),
  mobile: z
    .string()
    .transform((s) => s.replace(/[\s-]/g, ''))
    .refine((s) => MOBILE.test(s), { message: 'mobile.invalid' }),
});

export type Customer = z.input<typeof customerSchema>;
