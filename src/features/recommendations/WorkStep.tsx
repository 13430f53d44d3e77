// Placeholder until its screen lands (owned by the engineer building this feature).
import type { StepProps } from '../intake/stepProps';

export function WorkStep({ intake }: StepProps) {
  return <p role="status">WorkStep {intake.id}</p>;
}
