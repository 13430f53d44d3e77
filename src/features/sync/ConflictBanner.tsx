/**
 * On an intake edited on two tablets at once: per conflicting section, what this tablet has and
 * what the other one has, and a choice. "Keep mine" / "Take theirs" writes the value and queues
 * a patch based on the server's revision in one transaction (src/sync/resolveConflict.ts).
 */
import { useState } from 'react';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { useConflicts } from '../../store/queries';
import type { ConflictEntry } from '../../store/queries';
import type { Intake } from '../../model/intake/schema';
import { resolveConflict, type ConflictChoice } from '../../sync/public';
import { errorText } from '../../i18n/errorText';

interface Diff {
  path: string;
  mine: string;
  theirs: string;
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (typeof v === 'object') {
    const s = JSON.stringify(v);
    return s.length > 80 ? `${s.slice(0, 77)}…` : s;
  }
  return String(v);
}

/** The leaves that differ, for a readable side-by-side (at most `max`). */
export function diffValues(mine: unknown, theirs: unknown, max = 8, path = ''): Diff[] {
  if (JSON.stringify(mine) === JSON.stringify(theirs)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObj(mine) && isObj(theirs)) {
    const out: Diff[] = [];
    for (const k of [...new Set([...Object.keys(mine), ...Object.keys(theirs)])]) {
      for (const d of diffValues(mine[k], theirs[k], max - out.length, path ? `${path}.${k}` : k)) {
        if (out.length < max) out.push(d);
      }
    }
    return out;
  }
  if (Array.isArray(mine) && Array.isArray(theirs) && mine.length !== theirs.length) {
    return [{ path: `${path} (${mine.length} / ${theirs.length})`, mine: show(mine), theirs: show(theirs) }];
  }
  return [{ path: path || '·', mine: show(mine), theirs: show(theirs) }];
}

function ConflictItem({ c }: { c: ConflictEntry }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const section = t(`sync.section_${c.section}` as MessageKey);
  const diffs = diffValues(c.mine, c.theirs);
  async function choose(choice: ConflictChoice) {
    setBusy(true);
    setError(null);
    try {
      await resolveConflict(c.intakeId, c.section, choice);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }
  const headingId = `conflict-${c.key.replace(/[^a-z0-9]/gi, '-')}`;
  return (
    <li className="card" aria-labelledby={headingId} style={{ borderColor: 'var(--warn)' }}>
      <strong id={headingId}>{t('sync.conflictSection', { section })}</strong>
      <table>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">{section}</span>
            </th>
            <th scope="col">{t('sync.mine')}</th>
            <th scope="col">{t('sync.theirs')}</th>
          </tr>
        </thead>
        <tbody>
          {diffs.map((d) => (
            <tr key={d.path}>
              <th scope="row" className="muted">
                {d.path}
              </th>
              <td>{d.mine}</td>
              <td>{d.theirs}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row" style={{ marginTop: 8 }}>
        <button type="button" disabled={busy} onClick={() => void choose('mine')} aria-label={`${t('sync.keepMine')} · ${section}`}>
          {t('sync.keepMine')}
        </button>
        <button type="button" disabled={busy} onClick={() => void choose('theirs')} aria-label={`${t('sync.takeTheirs')} · ${section}`}>
          {t('sync.takeTheirs')}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {t('sync.conflictFailed', { reason: error })}
        </p>
      )}
    </li>
  );
}

export function ConflictBanner({ intake }: { intake: Intake }) {
  const { t } = useI18n();
  const conflicts = useConflicts(intake.id);
  if (!conflicts || conflicts.length === 0) return null;
  return (
    <section role="region" aria-label={t('sync.conflictTitle', { n: conflicts.length })} className="card no-print" style={{ background: '#fff8e1', borderColor: 'var(--warn)' }}>
      <p role="alert" className="warning" style={{ fontWeight: 600, marginTop: 0 }}>
        {t('sync.conflictTitle', { n: conflicts.length })}
      </p>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {conflicts.map((c) => (
          <ConflictItem key={c.key} c={c} />
        ))}
      </ul>
    </section>
  );
}
