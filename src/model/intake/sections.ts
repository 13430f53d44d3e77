/** The intake's top-level sections: the unit of autosave and of sync merge. No zod here (first-screen size).
 *  `history` (issue 11, src/model/vehicle/historySection.ts) is optional: older intakes have none. */
export const SECTIONS = ['customer', 'vehicle', 'visit', 'complaint', 'valuables', 'cabin', 'walkaround', 'work', 'history'] as const;
export type SectionName = (typeof SECTIONS)[number];
