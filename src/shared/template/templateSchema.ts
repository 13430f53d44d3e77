/**
 * The template's zod schema. Kept apart from template.ts so that the first screen does not load
 * zod just to read the built-in template: the built-in JSON is validated by the unit tests and
 * the server; a dealership's own template is validated here when it is loaded.
 */
import { z } from 'zod';

export const localisedSchema = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) });

const idSchema = z.string().regex(/^[a-z0-9-]+$/);
const labelled = z.object({ id: idSchema, label: localisedSchema });

export const templateSchema = z
  .object({
    id: z.string().min(1),
    version: z.number().int().positive(),
    positions: z
      .array(
        z.object({
          id: idSchema,
          order: z.number().int().positive(),
          label: localisedSchema,
          /** Rectangle on the top-view diagram, in 0..1 of its width/height (front at the top). */
          region: z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1), w: z.number().positive().max(1), h: z.number().positive().max(1) }),
          items: z.array(idSchema).min(1),
        }),
      )
      .min(1),
    exteriorItems: z.record(idSchema, localisedSchema),
    cabinItems: z.array(labelled).min(1),
    valuables: z.array(labelled).min(1),
    findingTypes: z.array(labelled).min(1),
    severities: z.array(labelled).min(1),
    /** The dealership's usual delivery terms: a new intake starts from them (the advisor confirms
     *  or changes them with the customer on the work step). */
    workDefaults: z
      .object({
        payment: z.enum(['cash', 'card', 'wechat', 'alipay', 'transfer', 'account']).optional(),
        oldParts: z.enum(['take', 'leave']).optional(),
        freeWash: z.boolean().optional(),
      })
      .optional(),
    /** Every finding needs a photo or a written reason (default). A dealership may drop it: false. */
    findingPhotoRequired: z.boolean().optional(),
  })
  .superRefine((t, ctx) => {
    for (const p of t.positions)
      for (const item of p.items)
        if (!t.exteriorItems[item]) ctx.addIssue({ code: 'custom', message: `position ${p.id}: unknown item ${item}`, path: ['positions'] });
    const orders = t.positions.map((p) => p.order);
    if (new Set(orders).size !== orders.length) ctx.addIssue({ code: 'custom', message: 'position orders must be unique', path: ['positions'] });
  });

export type Template = z.infer<typeof templateSchema>;

export function parseTemplate(data: unknown): Template {
  return templateSchema.parse(data);
}
