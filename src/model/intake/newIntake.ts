import type { Intake } from './schema';
import { defaultTemplate, positionsInOrder, type Template } from '../../shared/template/template';

export function newId(): string {
  return globalThis.crypto.randomUUID();
}

/** A fresh draft with every section present and empty, following the template (delivery terms
 *  from the template's dealership defaults). */
export function newIntake(opts: { advisor: { id: string; name: string }; now?: Date; id?: string; template?: Template }): Intake {
  const t = opts.template ?? defaultTemplate;
  const now = (opts.now ?? new Date()).toISOString();
  return {
    id: opts.id ?? newId(),
    templateId: t.id,
    createdAt: now,
    updatedAt: now,
    status: 'draft',
    advisor: opts.advisor,
    customer: { name: '', salutation: '', mobile: '' },
    vehicle: { plate: '', plateOther: false, vin: '', make: '', model: '', year: null, colour: '' },
    visit: { odometerKm: null, fuelEighths: null, appointmentRef: '', protection: { seatCover: false, wheelCover: false, floorMat: false } },
    complaint: { symptom: '', since: '', pattern: '', conditions: '', warningLights: '', noises: '', smells: '' },
    valuables: { reminded: false, items: t.valuables.map((v) => ({ itemId: v.id, answer: null, description: '' })) },
    cabin: { consent: false, items: Object.fromEntries(t.cabinItems.map((c) => [c.id, { status: null, note: '', photos: [] }])) },
    walkaround: {
      positions: Object.fromEntries(positionsInOrder(t).map((p) => [p.id, { items: {}, noDamage: false, completedAt: null }])),
      findings: [],
    },
    work: {
      recommendations: [],
      addedServices: [],
      estimateNote: '',
      promisedAt: '',
      // The dealership's usual terms, shown (and required) on the work step; '' / null without.
      payment: t.workDefaults?.payment ?? '',
      oldParts: t.workDefaults?.oldParts ?? '',
      freeWash: t.workDefaults?.freeWash ?? null,
      documents: { registration: false, serviceBooklet: false, keys: 0 },
    },
    contentHash: null,
    signedAt: null,
    signatures: [],
    amendments: [],
  };
}
