/**
 * The technician's queue (#/technician): signed intakes of this dealership (the tablet holds its
 * own dealership's records), newest signed first, searchable by plate, each with its check
 * status and what the check found.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useSummaries, useSession } from '../../store/queries';
import { useFollowUpFlags } from '../../store/queries';
import { hrefOf } from '../../ui/router';
import { formatDateTime } from '../../i18n/format';
import type { IntakeSummary } from '../../store/queries';
import { FollowUpBadge } from './FollowUpBadge';
import { usePullOnOpen } from '../../sync/public';
import { EmptyOrFirstSync, FreshnessNote } from '../sync/Freshness';
import { RepeatRepairBadgeFor } from '../history/RepeatRepairBadge';
import './follow.css';

/** Signed intakes, newest signed first, filtered by plate (spaces, dots and dashes ignored). */
export function technicianQueue(rows: IntakeSummary[], query: string): IntakeSummary[] {
  const norm = (s: string) => s.toLowerCase().replace(/[\s·.-]/g, '');
  const q = norm(query);
  return rows
    .filter((r) => r.status === 'signed' && (!q || norm(r.plate).includes(q)))
    .sort((a, b) => (b.signedAt ?? b.updatedAt).localeCompare(a.signedAt ?? a.updatedAt));
}

export function TechnicianQueueScreen() {
  const { t, lang } = useI18n();
  const session = useSession();
  const rows = useSummaries();
  const flags = useFollowUpFlags();
  const [query, setQuery] = useState('');
  const q = useDeferredValue(query);
  const fresh = usePullOnOpen(); // the queue shows intakes signed on other tablets: get them now
  const shown = useMemo(() => (rows ? technicianQueue(rows, q) : []), [rows, q]);

  return (
    <section aria-labelledby="tq-title">
      <h2 id="tq-title">
        {t('technician.queueTitle')}
        {session ? ` · ${session.dealership.name}` : ''}
      </h2>
      <p className="muted">{t('technician.queueIntro')}</p>
      <FreshnessNote state={fresh} />
      <label className="field">
        <span className="label">{t('technician.search')}</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('technician.searchPlaceholder')} />
      </label>
      {rows === undefined ? (
        <p role="status">{t('common.loading')}</p>
      ) : shown.length === 0 ? (
        <EmptyOrFirstSync empty={<p className="muted">{t('technician.empty')}</p>} />
      ) : (
        <ul className="follow-queue" aria-label={t('technician.queueTitle')}>
          {shown.slice(0, 200).map((r) => {
            const f = flags?.get(r.id);
            const status = f?.checkSigned ? t('technician.statusSigned') : f?.checkInProgress ? t('technician.statusInProgress') : t('technician.statusNotStarted');
            const plate = r.plate || t('technician.noPlate');
            return (
              <li key={r.id} className="card" style={{ padding: 0 }}>
                <a href={hrefOf({ name: 'techCheck', id: r.id })} aria-label={`${t('technician.openCheck', { plate })} · ${status}`}>
                  <strong>{plate}</strong> · {[r.make, r.model].filter(Boolean).join(' ')} · <span className={`badge ${f?.checkSigned ? 'signed' : 'draft'}`}>{status}</span>{' '}
                  <FollowUpBadge flags={f} /> <RepeatRepairBadgeFor intakeId={r.id} />
                  <br />
                  <span className="muted">
                    {t('technician.intakeSignedAt', { at: formatDateTime(lang, r.signedAt ?? r.updatedAt, 'short') })} · {t('technician.advisor', { name: r.advisorName })}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
