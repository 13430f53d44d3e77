import { z } from 'zod';
import { formText, LIMITS } from '../text';

/** The diagnostic questionnaire (问诊表): the customer's own description of the fault. */
export const complaintSchema = z.object({
  symptom: formText(LIMITS.longNote),
  since: formText(100),
  pattern: z.enum(['', 'constant', 'intermittent']),
  conditions: formText(500),
  warningLights: formText(300),
  noises: formText(300),
  smells: formText(300),
});

export type Complaint = z.input<typeof complaintSchema>;
