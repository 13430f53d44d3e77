/**
 * Signed means frozen (SYNC.md #6): the rule every record kind uses as its `isFrozen`. No zod
 * here, so code on the first screen and in the sync merge can apply it without the schemas.
 * After signing a record only takes what its kind allows on a frozen record (intake amendments).
 */
export function isFrozen(record: { status: string }): boolean {
  return record.status === 'signed';
}
