/**
 * The inspection template: positions, their items, cabin items, the valuables checklist,
 * finding types and severities. Held as data (defaultTemplate.json), so a dealership can ship
 * its own template without a code change; its schema is in templateSchema.ts.
 */
import type { Template } from './templateSchema';
import defaultTemplateJson from './defaultTemplate.json';

export type { Template } from './templateSchema';
export type TemplatePosition = Template['positions'][number];
export interface Localised {
  'zh-CN': string;
  en: string;
}

/** The built-in template (validated against templateSchema by tests/unit/readiness.test.ts). */
export const defaultTemplate: Template = defaultTemplateJson as Template;

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
