import { z } from 'zod';
import { valuableAnswerSchema } from '../../model/intake/schema';

/**
 * One valuables answer as the form checks it: an item left in the car (留在车内) or handed over
 * for safekeeping (交由保管) must be described, because it is returned at handover against this
 * description. Same rule as readiness.ts ('ready.valuableDescription').
 */
export const valuableItemSchema = z
  .object({ itemId: z.string(), answer: valuableAnswerSchema.nullable(), description: z.string().max(200) })
  .superRefine((v, ctx) => {
    if ((v.answer === 'left' || v.answer === 'safekeeping') && !v.description.trim())
      ctx.addIssue({ code: 'custom', path: ['description'], message: 'valuable.descriptionRequired' });
  });

/** The valuables section as its form checks it (useAutosaveForm): each answer by the rule above. */
export const valuablesFormSchema = z.object({ reminded: z.boolean(), items: z.array(valuableItemSchema) });
