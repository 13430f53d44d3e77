/**
 * What a signature is bound to: the intake content (every section, photo hashes included, since
 * photos are referenced by the SHA-256 of their bytes), without status, timestamps of editing,
 * signatures or amendments. Client and server both compute `contentHash` with this function.
 */
import { canonicalJson } from './canonicalJson';
import { sha256Hex } from './sha256';
import { intakeContentSchema, type Intake, type IntakeContent } from './schema/intake';

export function signedContent(intake: Intake | IntakeContent): IntakeContent {
  // zod strips unknown keys (status, signatures, …), leaving exactly the content.
  return intakeContentSchema.parse(intake);
}

export function contentHash(intake: Intake | IntakeContent): string {
  return sha256Hex(canonicalJson(signedContent(intake)));
}

/** Every photo hash the content refers to (cabin and walk-around), deduplicated, in order. */
export function photoHashesOf(intake: IntakeContent): string[] {
  const out = new Set<string>();
  for (const item of Object.values(intake.cabin.items)) for (const p of item.photos) out.add(p);
  for (const f of intake.walkaround.findings) for (const p of f.photos) out.add(p);
  return [...out];
}
