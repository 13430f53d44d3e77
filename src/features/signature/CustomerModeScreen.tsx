// Placeholder until its screen lands (owned by the engineer building this feature).
export function CustomerModeScreen(_props: { id: string }) {
  return <p role="status">CustomerModeScreen</p>;
}
