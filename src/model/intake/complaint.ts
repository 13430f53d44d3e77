import { z } from 'zod';

/** The diagnostic questionnaire (问诊表): the customer's own description of the fault. */
export const complaintSchema = z.object({
  symptom: z.string().trim().max(1000),
  since: z.string().trim().max(100),
  pattern: z.enum(['', 'constant', 'intermittent']),
  conditions: z.string().trim().max(500),
  warningLights: z.string().trim().max(300),
  noises: z.string().trim().max(300),
  smells: z.string().trim().max(300),
});

export type Complaint = z.input<typeof complaintSchema>;
