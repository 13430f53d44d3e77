import type { Intake } from '../../model/intake/schema';

/** Every intake step screen receives the live record; it edits through useSection (autosave). */
export interface StepProps {
  intake: Intake;
  /** The step's checklist was just completed by its one-tap "all …" action: the wizard moves on
   *  to the next step, as the walk-around moves on after "no damage" (one tap fewer per step). */
  onStepDone?: () => void;
}
