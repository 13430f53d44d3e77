// Fixtures for the review / signature / print tests: a device session and a ready intake built
// through the real repository (fake-indexeddb), exactly as the screens would have left it.
import { createIntake, updateSection } from '../../src/store/intakeWrites';
import { saveSession, type DeviceSession } from '../../src/store/session';
import type { Intake, SectionName, SectionValue, Signature } from '../../src/model/intake/schema';
import { walkedPositions } from '../fixtures/readyIntake';

export const T0 = '2026-11-24T08:00:00.000Z';
export const PHOTO = 'a'.repeat(64);

export const SESSION: DeviceSession = {
  token: 't',
  deviceId: 'dev-1',
  dealership: { id: 'd1', name: '北京星辰汽车销售服务有限公司', slug: 'xingchen' },
  staff: { id: 'adv-1', name: '李顾问', role: 'advisor' },
};

export async function withSession(): Promise<void> {
  await saveSession(SESSION);
}

/** The sections of an intake that is ready to sign, with a kept item, a finding and a declined safety item. */
export function readySections(base: Intake): { [S in Exclude<SectionName, 'history'>]: SectionValue<S> } {
  const positions = walkedPositions([{ positionId: 'lf', itemId: 'lf-door' }], T0);
  return {
    customer: { name: '王五', salutation: '王先生', mobile: '13800138000' },
    vehicle: { plate: '京A12345', plateOther: false, vin: '1M8GDM9AXKP042788', make: '大众', model: '帕萨特', year: 2021, colour: '白' },
    visit: { ...base.visit, odometerKm: 42000, fuelEighths: 4, protection: { seatCover: true, wheelCover: true, floorMat: true } },
    complaint: { ...base.complaint, symptom: '冷车启动异响', pattern: 'intermittent' },
    valuables: {
      reminded: true,
      items: base.valuables.items.map((v) =>
        v.itemId === 'child-seat' ? { ...v, answer: 'left' as const, description: '后排儿童座椅一个' } : { ...v, answer: 'taken' as const },
      ),
    },
    cabin: base.cabin,
    walkaround: {
      positions,
      findings: [
        { id: 'f1', positionId: 'lf', itemId: 'lf-door', type: 'scratch', severity: 'minor', marker: { x: 0.2, y: 0.3 }, photos: [PHOTO], note: '门把手下方划痕约 5 cm', createdAt: T0, foundAt: 'intake' },
      ],
    },
    work: {
      ...base.work,
      recommendations: [
        { id: 'r1', findingId: null, title: '更换前刹车片', safety: true, decision: 'later', labour: 120, parts: 380 },
        { id: 'r2', findingId: 'f1', title: '左前门补漆', safety: false, decision: 'now', labour: 300, parts: 0 },
      ],
      promisedAt: '2026-11-24T17:00',
      payment: 'wechat',
      oldParts: 'take',
      freeWash: true,
      documents: { registration: true, serviceBooklet: false, keys: 1 },
    },
  };
}

export async function createReadyIntake(): Promise<Intake> {
  const base = await createIntake({ id: SESSION.staff.id, name: SESSION.staff.name });
  const sections = readySections(base);
  let last = base;
  for (const name of Object.keys(sections) as Exclude<SectionName, 'history'>[]) last = await updateSection(base.id, name, sections[name] as never);
  return last;
}

export function fakeSignature(role: Signature['role'], name: string, hash: string): Signature {
  const points = Array.from({ length: 40 }, (_, i) => ({ x: 100 + i * 12, y: 200 + Math.sin(i / 3) * 60, time: 1000 + i * 16 }));
  return { role, name, strokes: [{ points, penColor: '#0a1a3a' }], width: 800, height: 400, signedAt: T0, contentHash: hash };
}
