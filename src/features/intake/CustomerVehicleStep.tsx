// Placeholder until its screen lands (owned by the engineer building this feature).
import type { StepProps } from './stepProps';

export function CustomerVehicleStep({ intake }: StepProps) {
  return <p role="status">CustomerVehicleStep {intake.id}</p>;
}
