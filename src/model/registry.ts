/**
 * Every record kind, one line each. The tablet's store and the server's push look kinds,
 * mutators and wire ops up here; adding a kind is its folder plus one line below.
 */
import type { MutationOp } from '../shared/protocol';
import type { Role } from '../shared/auth';
import { intakeKind } from './intake/kind';
import { techCheckKind } from './techCheck/kind';
import { handoverKind } from './handover/kind';
import { appointmentKind } from './appointment/kind';

export const kinds = {
  intake: intakeKind,
  techCheck: techCheckKind,
  handover: handoverKind,
  appointment: appointmentKind,
} as const;

export type Kinds = typeof kinds;
export type KindName = keyof Kinds;
export type RecordOf<K extends KindName> = Kinds[K] extends { schema: { _zod: { output: infer R } } } ? R : never;
export type MutatorName<K extends KindName> = Extract<keyof Kinds[K]['mutators'], string>;
export type ArgsOf<K extends KindName, N extends MutatorName<K>> = Kinds[K]['mutators'][N] extends { run: (r: never, args: infer A, ...rest: never[]) => unknown } ? A : never;

/** The intake's ops, which the server applies with its own section merge (intakeOps.ts). */
const INTAKE_OPS: Partial<Record<MutationOp, string>> = { create: 'create', patch: 'updateSection', sign: 'sign', amend: 'amend' };

/** Which kind and mutator a wire op belongs to (every op of the protocol has one). */
export function mutatorOfOp(op: MutationOp): { kind: KindName; mutator: string } | null {
  const intake = INTAKE_OPS[op];
  if (intake) return { kind: 'intake', mutator: intake };
  for (const name of ['techCheck', 'handover', 'appointment'] as const) {
    const entry = kinds[name].wireIn[op];
    if (entry) return { kind: name, mutator: entry.mutator };
  }
  return null;
}

/** The roles that may push a wire op: read from the mutator's own definition (one source). */
export function rolesOfOp(op: MutationOp): readonly Role[] {
  const found = mutatorOfOp(op);
  if (!found) return [];
  const m = (kinds[found.kind].mutators as Record<string, { roles: readonly Role[] }>)[found.mutator];
  return m?.roles ?? [];
}
