/** Shared test host for the intake step components: live record from Dexie, like the wizard. */
import { act, render } from '@testing-library/react';
import type { ComponentType } from 'react';
import { I18nProvider } from '../../src/i18n/i18n';
import type { Lang } from '../../src/i18n/defineMessages';
import { useIntake } from '../../src/store/queries';
import { AUTOSAVE_DELAY_MS } from '../../src/db/useSection';
import type { StepProps } from '../../src/features/intake/stepProps';

function Host({ id, Step }: { id: string; Step: ComponentType<StepProps> }) {
  const intake = useIntake(id);
  return intake ? <Step intake={intake} /> : null;
}

export function renderStep(Step: ComponentType<StepProps>, id: string, lang: Lang = 'zh-CN') {
  return render(
    <I18nProvider lang={lang}>
      <Host id={id} Step={Step} />
    </I18nProvider>,
  );
}

/** Wait past the autosave debounce so the draft is in IndexedDB. */
export const waitForAutosave = () => act(() => new Promise((r) => setTimeout(r, AUTOSAVE_DELAY_MS + 150)));

/** Sign an intake (customer signature only), its remaining gaps filled first: it becomes read-only everywhere. */
export async function signForTest(id: string) {
  const { getIntake, signIntake } = await import('../../src/store/intakeWrites');
  const { contentHash } = await import('../../src/model/intake/signedContent');
  const { makeReady } = await import('../fixtures/readyStored');
  await makeReady(id);
  const intake = (await getIntake(id))!;
  const h = contentHash(intake);
  await signIntake(id, h, [
    { role: 'customer', name: 'c', strokes: [{ points: [{ x: 0, y: 0, time: 0 }] }], width: 1, height: 1, signedAt: new Date().toISOString(), contentHash: h },
  ]);
}
