// Placeholder until its screen lands (owned by the engineer building this feature).
export function TechnicianQueueScreen() {
  return <p role="status">TechnicianQueueScreen</p>;
}
