// Placeholder until its screen lands (owned by the engineer building this feature).
export function PrintScreen(_props: { id: string }) {
  return <p role="status">PrintScreen</p>;
}
