/**
 * Who may run each mutation, as the server checks it against the ACTING staff member (the
 * session's staff as the server knows them, never what the tablet claims). The roles are part of
 * each mutator's own definition (src/model/<kind>/kind.ts); this reads them from the registry so
 * there is one source. A refusal by role is answered `rejected` with `retry: true` and not
 * recorded: on a shared tablet the outbox may hold an advisor's change while a technician is
 * acting, and it goes once an allowed staff member syncs.
 */
import type { Mutation } from '../shared/protocol';
import type { Role } from '../shared/auth';
import { rolesOfOp } from './registry';

export type StaffRole = Role;

export function mayRun(role: StaffRole, op: Mutation['op']): boolean {
  return rolesOfOp(op).includes(role);
}
