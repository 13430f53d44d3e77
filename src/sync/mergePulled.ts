/**
 * How a record pulled from the server meets the tablet's copy. A small pure function so the
 * rules can be read in one screen and tested as a table.
 *
 *  - Not on this tablet yet                → take the server's record.
 *  - Signed on the server                  → the server's record wins (it is the authority for
 *                                            signed records); local amendments not yet acknowledged
 *                                            are kept on top. Unsent draft edits of this tablet are
 *                                            refused by the server later and quarantined, not lost.
 *  - Signed here, not yet on the server    → keep the local record whole (the signature is bound
 *                                            to exactly this content).
 *  - Draft on both                          → section by section: a section with unsent local
 *                                            patches or an open conflict keeps the local value and
 *                                            its old merge base; every other section takes the
 *                                            server's value and revision.
 */
import type { Intake, SectionName } from '../model/intake/schema';
import { SECTIONS } from '../model/intake/schema';
import { isFrozen } from '../model/frozen';

export type Revs = Partial<Record<SectionName, number>>;

export interface MergeInput {
  local: Intake | undefined;
  localRevs: Revs;
  server: Intake;
  serverRevs: Record<string, number>;
  /** Sections with unsent patches on this tablet. */
  pendingSections: ReadonlySet<SectionName>;
  /** Sections with an open conflict waiting for a person. */
  conflictSections: ReadonlySet<SectionName>;
}

export interface MergeOutput {
  intake: Intake;
  revs: Revs;
  /** Sections that kept the local value. */
  kept: SectionName[];
  /** The server's record is signed: local open conflicts can no longer be applied. */
  serverSigned: boolean;
}

function serverSectionRevs(serverRevs: Record<string, number>): Revs {
  const out: Revs = {};
  for (const s of SECTIONS) {
    const v = serverRevs[s];
    if (typeof v === 'number') out[s] = v;
  }
  return out;
}

export function mergePulled(input: MergeInput): MergeOutput {
  const { local, server } = input;
  const sRevs = serverSectionRevs(input.serverRevs);
  if (!local) return { intake: server, revs: sRevs, kept: [], serverSigned: isFrozen(server) };

  if (isFrozen(server)) {
    const known = new Set(server.amendments.map((a) => a.id));
    const extra = isFrozen(local) ? local.amendments.filter((a) => !known.has(a.id)) : [];
    const intake = extra.length ? { ...server, amendments: [...server.amendments, ...extra] } : server;
    return { intake, revs: sRevs, kept: [], serverSigned: true };
  }

  if (isFrozen(local)) return { intake: local, revs: input.localRevs, kept: [...SECTIONS], serverSigned: false };

  const kept: SectionName[] = [];
  const merged: Intake = { ...server };
  const revs: Revs = {};
  for (const s of SECTIONS) {
    if (input.pendingSections.has(s) || input.conflictSections.has(s)) {
      kept.push(s);
      (merged as Record<SectionName, unknown>)[s] = local[s];
      if (input.localRevs[s] !== undefined) revs[s] = input.localRevs[s];
    } else if (sRevs[s] !== undefined) {
      revs[s] = sRevs[s];
    }
  }
  if (kept.length > 0 && local.updatedAt > server.updatedAt) merged.updatedAt = local.updatedAt;
  return { intake: merged, revs, kept, serverSigned: false };
}
