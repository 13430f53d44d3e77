import type { Intake } from '../../model/intake/schema';

/** Every intake step screen receives the live record; it edits through useSection (autosave). */
export interface StepProps {
  intake: Intake;
}
