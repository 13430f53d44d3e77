/**
 * The inspection template: positions, their items, cabin items, the valuables checklist,
 * finding types and severities. Held as data (defaultTemplate.json) and validated here, so a
 * dealership can ship its own template without a code change.
 */
import { z } from 'zod';
import defaultTemplateJson from './defaultTemplate.json';

export const localisedSchema = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
export type Localised = z.infer<typeof localisedSchema>;

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
  })
  .superRefine((t, ctx) => {
    for (const p of t.positions)
      for (const item of p.items)
        if (!t.exteriorItems[item]) ctx.addIssue({ code: 'custom', message: `position ${p.id}: unknown item ${item}`, path: ['positions'] });
    const orders = t.positions.map((p) => p.order);
    if (new Set(orders).size !== orders.length) ctx.addIssue({ code: 'custom', message: 'position orders must be unique', path: ['positions'] });
  });

export type Template = z.infer<typeof templateSchema>;
export type TemplatePosition = Template['positions'][number];

export function parseTemplate(data: unknown): Template {
  return templateSchema.parse(data);
}

export const defaultTemplate: Template = parseTemplate(defaultTemplateJson);

/** Positions in the clockwise walking order (1 left front … 6 left rear for left-hand drive). */
export function positionsInOrder(t: Template): TemplatePosition[] {
  return [...t.positions].sort((a, b) => a.order - b.order);
}

/** Which position a point on the diagram (0..1 coordinates) falls in, or null. */
export function positionAt(t: Template, x: number, y: number): TemplatePosition | null {
  for (const p of t.positions) {
    const r = p.region;
    if (x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h) return p;
  }
  return null;
}

export function labelOf(list: { id: string; label: Localised }[], id: string, lang: keyof Localised): string {
  return list.find((x) => x.id === id)?.label[lang] ?? id;
}
