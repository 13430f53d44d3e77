// Placeholder until its screen lands (owned by the engineer building this feature).
export function TechnicianCheckScreen(_props: { id: string }) {
  return <p role="status">TechnicianCheckScreen</p>;
}
