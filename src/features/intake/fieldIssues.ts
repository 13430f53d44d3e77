/**
 * Field-level validation for the intake forms: run a shared zod schema over the section's
 * current (draft) value and map each issue to its field, as an i18n message key. The draft is
 * saved whatever the result; these keys are shown next to the fields as the advisor types.
 */
import type { ZodType } from 'zod';

/** field path ("plate", "items.2.description") → first issue's message key for that field. */
export type FieldIssues = Record<string, string>;

export function fieldIssues(schema: ZodType, value: unknown): FieldIssues {
  const r = schema.safeParse(value);
  if (r.success) return {};
  const out: FieldIssues = {};
  for (const issue of r.error.issues) {
    const key = issue.path.map(String).join('.');
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}
