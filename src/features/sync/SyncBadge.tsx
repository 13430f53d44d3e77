// Placeholder until its screen lands (owned by the engineer building this feature).
export function SyncBadge() {
  return <p role="status">SyncBadge</p>;
}
