/**
 * One earlier finding (from intake, or from the technician's check at handover) with its
 * photos, and the review controls of the current walk as children.
 */
import type { ReactNode } from 'react';
import type { Finding } from '../../../model/intake/schema';
import type { Template } from '../../../shared/template/template';
import { useI18n } from '../../../i18n/i18n';
import { PhotoStrip } from '../../../photos/PhotoStrip';
import { findingWords } from './findingText';

export function EarlierFindingCard({ n, finding, template, children, tone }: { n: number; finding: Finding; template: Template; children?: ReactNode; tone?: 'disputed' | 'new' | null }) {
  const { t, lang } = useI18n();
  const w = findingWords(template, finding, lang);
  const title = t('technician.findingLabel', { n, item: w.item, type: w.type, severity: w.severity });
  return (
    <article className={`card follow-finding${tone ? ` is-${tone}` : ''}`} aria-label={title} data-finding={finding.id}>
      <h4 style={{ margin: '0 0 4px' }}>
        {title}
        {finding.foundAt === 'technician' && <span className="badge follow-new"> {t('technician.newDamageFlag')}</span>}
      </h4>
      {finding.note && <p className="muted" style={{ margin: '0 0 4px' }}>{finding.note}</p>}
      <PhotoStrip hashes={finding.photos} alt={`${title} · ${t('technician.intakePhotos')}`} size={88} />
      {children}
    </article>
  );
}
