// Placeholder until its screen lands (owned by the engineer building this feature).
export function SettingsScreen() {
  return <p role="status">SettingsScreen</p>;
}
