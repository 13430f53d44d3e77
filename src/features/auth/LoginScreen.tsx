// Placeholder until its screen lands (owned by the engineer building this feature).
export function LoginScreen() {
  return <p role="status">LoginScreen</p>;
}
