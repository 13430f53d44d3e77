/** The zod schema of each intake section, for validating values that arrive from the server. */
import {
  cabinSectionSchema,
  complaintSectionSchema,
  customerSectionSchema,
  valuablesSectionSchema,
  vehicleSectionSchema,
  visitSectionSchema,
  walkaroundSectionSchema,
  workSectionSchema,
  type SectionName,
} from '../shared/schema/intake';
import type { ZodType } from 'zod';

export const sectionSchemas: Record<SectionName, ZodType> = {
  customer: customerSectionSchema,
  vehicle: vehicleSectionSchema,
  visit: visitSectionSchema,
  complaint: complaintSectionSchema,
  valuables: valuablesSectionSchema,
  cabin: cabinSectionSchema,
  walkaround: walkaroundSectionSchema,
  work: workSectionSchema,
};
