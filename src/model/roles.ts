/**
 * Who may run each mutation: the one table the server checks against the ACTING staff member
 * (the session's staff as the server knows them, never what the tablet claims). A refusal by
 * role is answered `rejected` with `retry: true` and not recorded: on a shared tablet the outbox
 * may hold an advisor's change while a technician is acting, and it goes once an allowed staff
 * member syncs.
 */
import type { Mutation } from '../shared/protocol';
import type { Role } from '../shared/auth';

export type StaffRole = Role;

export const MUTATION_ROLES: Record<Mutation['op'], readonly StaffRole[]> = {
  create: ['advisor', 'manager'],
  patch: ['advisor', 'manager'],
  sign: ['advisor', 'manager'],
  amend: ['advisor', 'manager'],
  techCheck: ['technician', 'manager'],
  handover: ['advisor', 'manager'],
};

export function mayRun(role: StaffRole, op: Mutation['op']): boolean {
  return MUTATION_ROLES[op].includes(role);
}
