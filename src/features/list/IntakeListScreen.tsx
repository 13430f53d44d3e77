/**
 * The advisor's home: today's intakes, drafts, signed; search by plate, customer name or phone.
 * Reads the small summary rows only, so it opens instantly with thousands of records.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useSummaries, useSession } from '../../store/queries';
import { filterSummaries, type ListFilter } from '../../store/queries';
import { startIntake } from '../../store/intakeWrites';
import { hrefOf, navigate } from '../../ui/router';
import { useFollowUpFlags } from '../../store/queries';
import { FollowUpBadge } from '../technician/FollowUpBadge';
import { EmptyOrFirstSync } from '../sync/Freshness';
import { formatDateTime } from '../../i18n/format';

const FILTERS: ListFilter[] = ['today', 'drafts', 'signed', 'all'];

export function IntakeListScreen() {
  const { t, lang } = useI18n();
  const session = useSession();
  const rows = useSummaries();
  const [filter, setFilter] = useState<ListFilter>('today');
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const shown = useMemo(() => (rows ? filterSummaries(rows, filter, deferredQuery) : []), [rows, filter, deferredQuery]);
  const follow = useFollowUpFlags(); // technician's check / handover badges per intake

  // The new intake is stored with its first keystroke, not here (startIntake): opening one and
  // going back leaves no empty draft behind.
  function onNew() {
    if (!session) return;
    navigate({ name: 'intake', id: startIntake({ id: session.staff.id, name: session.staff.name }), step: 'customer' });
  }

  return (
    <section aria-labelledby="list-title">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="list-title">{t('list.title')}</h2>
        <a className="button" href={hrefOf({ name: 'appointments' })}>
          {t('appointments.todayLink')}
        </a>
        <a className={`button${session?.staff.role === 'technician' ? ' primary' : ''}`} href={hrefOf({ name: 'technicianQueue' })}>
          {t('technician.queueLink')}
        </a>
        {session?.staff.role !== 'technician' && (
          <button type="button" className="primary" onClick={onNew} disabled={!session}>
            + {t('list.newIntake')}
          </button>
        )}
      </div>
      <div className="row" role="group" aria-label={t('list.filterLabel')}>
        {FILTERS.map((f) => (
          <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {t(`list.filter_${f}`)}
          </button>
        ))}
      </div>
      <label className="field" style={{ marginTop: 12 }}>
        <span className="label">{t('list.search')}</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('list.searchPlaceholder')} />
      </label>
      {rows === undefined ? (
        <p role="status">{t('common.loading')}</p>
      ) : shown.length === 0 ? (
        <EmptyOrFirstSync empty={<p className="muted">{t('list.empty')}</p>} />
      ) : (
        <ul aria-label={t('list.title')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {shown.slice(0, 200).map((r) => (
            <li key={r.id} className="card" style={{ padding: 0 }}>
              <a
                href={hrefOf(r.status === 'signed' ? { name: 'intake', id: r.id, step: 'review' } : { name: 'intake', id: r.id, step: 'customer' })}
                style={{ display: 'block', padding: 12, minHeight: 48, color: 'inherit', textDecoration: 'none' }}
              >
                <strong>{r.plate || t('list.noPlate')}</strong> · {r.customerName || t('list.noName')} · {r.mobile}{' '}
                <span className={`badge ${r.status}`}>{t(r.status === 'signed' ? 'intake.statusSigned' : 'intake.statusDraft')}</span>{' '}
                <FollowUpBadge flags={follow?.get(r.id)} />
                <br />
                <span className="muted">
                  {[r.make, r.model].filter(Boolean).join(' ')} · {formatDateTime(lang, r.createdAt, 'short')} · {r.advisorName}
                  {r.findings > 0 && ` · ${t('list.findings', { n: r.findings })}`}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {shown.length > 200 && <p className="muted">{t('list.more', { n: shown.length - 200 })}</p>}
    </section>
  );
}
