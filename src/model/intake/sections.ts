/** The intake's top-level sections: the unit of autosave and of sync merge. No zod here (first-screen size). */
export const SECTIONS = ['customer', 'vehicle', 'visit', 'complaint', 'valuables', 'cabin', 'walkaround', 'work'] as const;
export type SectionName = (typeof SECTIONS)[number];
