// Placeholder until its screen lands (owned by the engineer building this feature).
import type { StepProps } from '../intake/stepProps';

export function CabinStep({ intake }: StepProps) {
  return <p role="status">CabinStep {intake.id}</p>;
}
