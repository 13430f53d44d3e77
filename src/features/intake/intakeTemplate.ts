import type { Intake } from '../../model/intake/schema';
import { defaultTemplate, type Template } from '../../shared/template/template';

/**
 * The template an intake was made with. Only the built-in template ships today; a dealership
 * template would be looked up by `intake.templateId` here, in one place for all intake steps.
 */
export function intakeTemplate(_intake: Pick<Intake, 'templateId'>): Template {
  return defaultTemplate;
}
