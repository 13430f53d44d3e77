// Placeholder until its screen lands (owned by the engineer building this feature).
export function HandoverScreen(_props: { id: string }) {
  return <p role="status">HandoverScreen</p>;
}
