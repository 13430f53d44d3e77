// Placeholder until its screen lands (owned by the engineer building this feature).
export function HandoverPrintScreen(_props: { id: string }) {
  return <p role="status">HandoverPrintScreen</p>;
}
