/**
 * What a signature is bound to: the intake content (every section, photo hashes included, since
 * photos are referenced by the SHA-256 of their bytes), without status, edit timestamps,
 * signatures or amendments. Client and server both compute `contentHash` with this function.
 * No zod here on purpose (first-screen size): the keys are listed explicitly; the server
 * validates the content against intakeContentSchema before it hashes.
 */
import { canonicalJson } from '../../shared/canonicalJson';
import { sha256Hex } from '../../shared/sha256';
import { SECTIONS } from './sections';
import type { Intake, IntakeContent } from './schema';

export const CONTENT_KEYS = ['id', 'templateId', 'createdAt', 'advisor', ...SECTIONS] as const;

export function signedContent(intake: Intake | IntakeContent): IntakeContent {
  const out: Record<string, unknown> = {};
  for (const k of CONTENT_KEYS) out[k] = intake[k];
  return out as unknown as IntakeContent;
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
