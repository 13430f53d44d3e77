// Placeholder until its screen lands (owned by the engineer building this feature).
import type { StepProps } from '../intake/stepProps';

export function ValuablesStep({ intake }: StepProps) {
  return <p role="status">ValuablesStep {intake.id}</p>;
}
