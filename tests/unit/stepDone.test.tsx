import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentType } from 'react';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake } from '../../src/store/intakeWrites';
import { useIntake } from '../../src/store/queries';
import { I18nProvider } from '../../src/i18n/i18n';
import type { StepProps } from '../../src/features/intake/stepProps';
import { ValuablesStep } from '../../src/features/valuables/ValuablesStep';
import { CabinStep } from '../../src/features/cabin/CabinStep';
import { readinessIssues } from '../../src/model/intake/readiness';
import { waitForAutosave } from './intakeStepHost';

function Host({ id, Step, onStepDone }: { id: string; Step: ComponentType<StepProps>; onStepDone: () => void }) {
  const intake = useIntake(id);
  return intake ? <Step intake={intake} onStepDone={onStepDone} /> : null;
}

const renderWithDone = (Step: ComponentType<StepProps>, id: string, onStepDone: () => void) =>
  render(
    <I18nProvider lang="zh-CN">
      <Host id={id} Step={Step} onStepDone={onStepDone} />
    </I18nProvider>,
  );

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

describe('a checklist completed in one tap moves the wizard on', { timeout: 30_000 }, () => {
  it('valuables: "all remaining taken" records the reminder and moves on when nothing stays in the car', async () => {
    const user = userEvent.setup();
    const intake = await createIntake({ id: 'sa', name: 'SA' });
    const done = vi.fn();
    renderWithDone(ValuablesStep, intake.id, done);
    await user.click(await screen.findByRole('button', { name: '其余全部已取走' }));
    expect(done).toHaveBeenCalledTimes(1);
    await waitForAutosave();
    const saved = (await getIntake(intake.id))!;
    expect(saved.valuables.reminded).toBe(true);
    expect(readinessIssues(saved).filter((i) => i.section === 'valuables')).toEqual([]);
  });

  it('valuables: with an item in safekeeping the advisor stays on the step', async () => {
    const user = userEvent.setup();
    const intake = await createIntake({ id: 'sa', name: 'SA' });
    const done = vi.fn();
    renderWithDone(ValuablesStep, intake.id, done);
    const phone = await screen.findByTestId('valuable-phone');
    await user.click(within(phone).getByRole('button', { name: '交由保管' }));
    await user.type(within(phone).getByLabelText(/交由保管的物品描述/), '手机');
    await user.click(screen.getByRole('button', { name: '其余全部已取走' }));
    expect(done).not.toHaveBeenCalled();
  });

  it('cabin: "all remaining OK" moves on when every item is OK, not when one has an issue', async () => {
    const user = userEvent.setup();
    const a = await createIntake({ id: 'sa', name: 'SA' });
    const done = vi.fn();
    const view = renderWithDone(CabinStep, a.id, done);
    await user.click(await screen.findByLabelText('已征得顾客同意检查车内'));
    await user.click(screen.getByRole('button', { name: '其余全部正常' }));
    expect(done).toHaveBeenCalledTimes(1);
    view.unmount();

    const b = await createIntake({ id: 'sa', name: 'SA' });
    const stay = vi.fn();
    renderWithDone(CabinStep, b.id, stay);
    await user.click(await screen.findByLabelText('已征得顾客同意检查车内'));
    await user.click(within(screen.getByTestId('cabin-ac')).getByRole('button', { name: '有问题' }));
    await user.click(screen.getByRole('button', { name: '其余全部正常' }));
    expect(stay).not.toHaveBeenCalled();
  });
});
