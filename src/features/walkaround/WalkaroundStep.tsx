// Placeholder until its screen lands (owned by the engineer building this feature).
import type { StepProps } from '../intake/stepProps';

export function WalkaroundStep({ intake }: StepProps) {
  return <p role="status">WalkaroundStep {intake.id}</p>;
}
