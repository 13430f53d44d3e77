import type { Intake } from '../../shared/schema/intake';

/** Every intake step screen receives the live record; it edits through useSection (autosave). */
export interface StepProps {
  intake: Intake;
}
