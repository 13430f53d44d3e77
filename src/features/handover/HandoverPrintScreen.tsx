/**
 * The printable handover sheet (#/handover/<intakeId>/print): every difference from the intake,
 * what was returned, declined safety work, next service and follow-up, the customer's signature,
 * and the three fingerprints (intake, technician's check, handover) it is bound to. Drawn from
 * the tablet's own records, so it prints offline.
 */
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../i18n/format';
import { useIntake, useSession } from '../../store/queries';
import { latestSigned, useHandoversOf, useTechChecksOf } from '../../store/queries';
import { hrefOf } from '../../ui/router';
import { compareChecklist, compareFindings } from '../../model/handover/compareFindings';
import { declinedSafetyRecommendations, safekeepingItems } from '../../model/handover/schema';
import { defaultTemplate, labelOf } from '../../shared/template/template';
import { SignatureImage } from '../signature/SignatureImage';
import { Differences } from './Differences';
import { PreExistingList } from '../history/PreExistingList';
import '../technician/follow.css';

const template = defaultTemplate;

export function HandoverPrintScreen({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const intake = useIntake(id);
  const handovers = useHandoversOf(id);
  const checks = useTechChecksOf(id);
  if (intake === undefined || handovers === undefined || checks === undefined) return <p role="status">{t('common.loading')}</p>;
  if (intake === null) return <p role="alert">{t('common.notFound')}</p>;
  const h = latestSigned(handovers) ?? handovers.find((x) => x.status === 'draft') ?? null;
  if (!h) return <p role="alert">{t('handover.printNone')}</p>;
  const tc = h.techCheckId ? (checks.find((c) => c.id === h.techCheckId) ?? null) : null;
  const comparison = compareFindings({ intakeFindings: intake.walkaround.findings, techCheck: tc, handover: h });
  const checklist = compareChecklist(intake, h);
  const when = (iso: string | null) => (iso ? formatDateTime(lang, iso) : '—');
  const short = (hash: string | null) => (hash ? `${hash.slice(0, 16)}…` : '—');
  const customerSig = h.signatures.find((s) => s.role === 'customer');
  const returned = safekeepingItems(intake).filter((v) => h.valuablesReturned[v.itemId] === 'returned');

  return (
    <article className="handover-print" aria-labelledby="hp-title">
      <div className="row no-print" style={{ justifyContent: 'space-between' }}>
        <a className="button" href={hrefOf({ name: 'handover', id })}>
          ← {t('handover.title')}
        </a>
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('handover.printButton')}
        </button>
      </div>
      <h2 id="hp-title">
        {session?.dealership.name ? `${session.dealership.name} · ` : ''}
        {t('handover.printTitle')}
      </h2>
      {h.status !== 'signed' && (
        <p role="alert" className="card follow-alert">
          {t('handover.printDraft')}
        </p>
      )}
      <p className="muted">{t('handover.printIntro')}</p>
      <table>
        <tbody>
          <tr>
            <th scope="row">{t('handover.printVehicle')}</th>
            <td>
              {intake.vehicle.plate} · {intake.vehicle.vin} · {[intake.vehicle.make, intake.vehicle.model].filter(Boolean).join(' ')}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('handover.printCustomer')}</th>
            <td>
              {intake.customer.name} · {intake.customer.mobile}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('handover.printAdvisor')}</th>
            <td>{h.advisor.name}</td>
          </tr>
          <tr>
            <td colSpan={2} className="follow-hash">
              {t('handover.printIntakeRef', { at: when(intake.signedAt), hash: short(h.intakeHash) })}
              <br />
              {tc && (
                <>
                  {t('handover.printTechRef', { name: tc.signoff?.name ?? tc.technician.name, at: when(tc.signedAt), hash: short(tc.contentHash) })}
                  <br />
                </>
              )}
              {h.status === 'signed' && t('handover.printHandoverRef', { at: when(h.signedAt), hash: short(h.contentHash) })}
            </td>
          </tr>
        </tbody>
      </table>

      <section className="card">
        <h3>
          {t('handover.differencesTitle')} ({comparison.counts.differences + checklist.length})
        </h3>
        <Differences comparison={comparison} checklist={checklist} intake={intake} template={template} photoSize={72} />
        <PreExistingList intake={intake} template={template} newHeading={false} />
      </section>

      <section className="card">
        <h3>{t('handover.checklistTitle')}</h3>
        <ul>
          {returned.length > 0 && (
            <li>
              {t('handover.returnedTitle')}: {returned.map((v) => `${labelOf(template.valuables, v.itemId, lang)}${v.description ? `（${v.description}）` : ''}`).join('、')}
            </li>
          )}
          {h.protectionRemoved && <li>{t('handover.protectionRemoved')}</li>}
          {h.documentsReturned.registration && <li>{t('handover.registrationReturned')}</li>}
          {h.documentsReturned.serviceBooklet && <li>{t('handover.bookletReturned')}</li>}
          <li>
            {t('handover.keysReturned', { n: intake.work.documents.keys })}: {h.documentsReturned.keys}
          </li>
          {h.oldPartsShown && <li>{t('handover.oldPartsShown')}</li>}
        </ul>
        <h4>{t('handover.declinedTitle')}</h4>
        <ul>
          {declinedSafetyRecommendations(intake).map((r) => (
            <li key={r.id}>
              {h.declinedSafety[r.id]?.explained ? '✓ ' : '✗ '}
              {t('handover.declinedExplained', { title: r.title })}
            </li>
          ))}
          {declinedSafetyRecommendations(intake).length === 0 && <li>{t('handover.noDeclined')}</li>}
        </ul>
        <p>
          <strong>{t('handover.nextServiceTitle')}:</strong> {h.nextService.date || '—'} · {h.nextService.mileageKm ?? '—'} km
        </p>
        <p>
          <strong>{t('handover.followUpTitle')}:</strong>{' '}
          {t('handover.followUpValue', { date: h.followUp.date || '—', slot: h.followUp.slot ? t(`handover.slot_${h.followUp.slot}`) : '—' })} {h.followUp.note}
        </p>
        {h.note && <p>{h.note}</p>}
      </section>

      <section className="card follow-print-sig">
        <h3>{t('handover.customerSignature')}</h3>
        {customerSig ? (
          <>
            <SignatureImage signature={customerSig} label={`${t('handover.customerSignature')} ${customerSig.name}`} />
            <p className="muted">
              {customerSig.name} · {when(customerSig.signedAt)}
            </p>
          </>
        ) : (
          <p className="muted">—</p>
        )}
      </section>
    </article>
  );
}
