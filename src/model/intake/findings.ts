/**
 * What makes the exterior record complete (issue 10: the signed record settles disputes):
 *
 * - a finding is complete with its item (part), type and severity, and at least one photo unless
 *   the advisor wrote why there is none (`noPhotoReason`); a template may drop the photo rule
 *   for its dealership (`findingPhotoRequired: false`);
 * - a position is complete only when EVERY item of it has an explicit result: OK, or a finding
 *   on that item. One finding no longer completes a position whose other items nobody looked at.
 *
 * Pure and zod-free, shared by readiness (tablet and server), the walk-around step and print.
 * Older records: signed ones are never re-judged (their hash is what counts); drafts written
 * before these rules simply show the gaps until the advisor fills them.
 */
import type { Finding, IntakeContent } from './schema';
import type { Template, TemplatePosition } from '../../shared/template/template';

export type FindingGap = 'item' | 'type' | 'severity' | 'photo';
export type WalkaroundContent = IntakeContent['walkaround'];

/** Does this template ask for a photo (or a reason) on every finding? Absent means yes. */
export function findingPhotoRequired(template: Pick<Template, 'findingPhotoRequired'>): boolean {
  return template.findingPhotoRequired !== false;
}

/** What a finding still lacks before the record may be signed (empty = complete). */
export function findingGaps(f: Pick<Finding, 'itemId' | 'type' | 'severity' | 'photos' | 'noPhotoReason'>, template: Pick<Template, 'findingPhotoRequired'>): FindingGap[] {
  const gaps: FindingGap[] = [];
  if (!f.itemId) gaps.push('item');
  if (!f.type) gaps.push('type');
  if (!f.severity) gaps.push('severity');
  if (findingPhotoRequired(template) && f.photos.length === 0 && !f.noPhotoReason?.trim()) gaps.push('photo');
  return gaps;
}

/** The result recorded for one item of a position: a finding on it wins over OK. */
export function itemResult(s: WalkaroundContent, positionId: string, itemId: string): 'ok' | 'finding' | null {
  if (s.findings.some((f) => f.positionId === positionId && f.itemId === itemId)) return 'finding';
  return s.positions[positionId]?.items[itemId] === 'ok' ? 'ok' : null;
}

/** Items of the position nobody has given a result yet (in template order). */
export function uncheckedItems(s: WalkaroundContent, position: Pick<TemplatePosition, 'id' | 'items'>): string[] {
  return position.items.filter((item) => itemResult(s, position.id, item) === null);
}

/** Complete: every item of the position is OK or has a finding. */
export function positionDone(s: WalkaroundContent, position: Pick<TemplatePosition, 'id' | 'items'>): boolean {
  return uncheckedItems(s, position).length === 0;
}
