// Placeholder until its screen lands (owned by the engineer building this feature).
import type { StepProps } from '../intake/stepProps';

export function ReviewStep({ intake }: StepProps) {
  return <p role="status">ReviewStep {intake.id}</p>;
}
