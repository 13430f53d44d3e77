/** The intake steps in the order the manuals give them (DOMAIN.md, 接车). */
export const STEPS = ['customer', 'valuables', 'cabin', 'walkaround', 'work', 'review'] as const;
export type StepId = (typeof STEPS)[number];

export function isStep(s: string): s is StepId {
  return (STEPS as readonly string[]).includes(s);
}
