import { beforeEach, describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake } from '../../src/store/intakeWrites';
import { readinessIssues } from '../../src/model/intake/readiness';
import { ValuablesStep } from '../../src/features/valuables/ValuablesStep';
import { renderStep, signForTest, waitForAutosave } from './intakeStepHost';
import { occurrences, spokenText } from './spokenText';

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

describe('ValuablesStep', { timeout: 30_000 }, () => {
  it('records the three-piece set, the reminder and each answer, and autosaves', async () => {
    const user = userEvent.setup();
    const intake = await createIntake({ id: 'sa', name: 'SA' });
    renderStep(ValuablesStep, intake.id);
    await user.click(await screen.findByLabelText('座椅套'));
    await user.click(screen.getByLabelText('方向盘套'));
    await user.click(screen.getByLabelText('脚垫'));
    await user.click(screen.getByLabelText('已提醒顾客取走贵重物品'));

    const phone = screen.getByTestId('valuable-phone');
    // a screen reader hears the item once, as the name of its answer group
    expect(occurrences(spokenText(phone), '手机/电子设备')).toBe(1);
    expect(within(phone).getByRole('group', { name: '手机/电子设备：顾客的处理' })).toBeTruthy();
    await user.click(within(phone).getByRole('button', { name: '交由保管' }));
    expect(within(phone).getByRole('button', { name: '交由保管' }).getAttribute('aria-pressed')).toBe('true');
    // Description required: the zod error appears at once, the answer is saved anyway.
    expect(within(phone).getByText('留在车内或交由保管的物品必须填写描述')).toBeTruthy();
    await waitForAutosave();
    let saved = await getIntake(intake.id);
    expect(saved?.valuables.items.find((i) => i.itemId === 'phone')).toEqual({ itemId: 'phone', answer: 'safekeeping', description: '' });
    expect(readinessIssues(saved!).some((i) => i.key === 'ready.valuableDescription' && i.ref === 'phone')).toBe(true);

    await user.type(within(phone).getByLabelText(/交由保管的物品描述/), '华为手机 1 部');
    expect(within(phone).queryByText('留在车内或交由保管的物品必须填写描述')).toBeNull();

    // Changing the answer to "taken" drops the description (nothing hidden in the record).
    const cash = screen.getByTestId('valuable-cash');
    await user.click(within(cash).getByRole('button', { name: '留在车内' }));
    await user.type(within(cash).getByLabelText(/留在车内的物品描述/), '零钱');
    await user.click(within(cash).getByRole('button', { name: '已取走' }));
    expect(within(cash).queryByLabelText(/物品描述/)).toBeNull();

    await user.click(within(screen.getByTestId('valuable-bags')).getByRole('button', { name: '留在车内' }));
    await user.type(within(screen.getByTestId('valuable-bags')).getByLabelText(/留在车内的物品描述/), '后备箱黑色拉杆箱');
    await user.click(screen.getByRole('button', { name: '其余全部已取走' }));
    expect(screen.getByTestId('valuables-summary').textContent).toBe('留在车内 1 项 · 交由保管 1 项 · 未确认 0 项');
    await waitForAutosave();

    saved = await getIntake(intake.id);
    expect(saved?.visit.protection).toEqual({ seatCover: true, wheelCover: true, floorMat: true });
    expect(saved?.valuables.reminded).toBe(true);
    expect(saved?.valuables.items.find((i) => i.itemId === 'phone')).toEqual({ itemId: 'phone', answer: 'safekeeping', description: '华为手机 1 部' });
    expect(saved?.valuables.items.find((i) => i.itemId === 'bags')?.answer).toBe('left');
    expect(saved?.valuables.items.find((i) => i.itemId === 'cash')).toEqual({ itemId: 'cash', answer: 'taken', description: '' });
    expect(saved?.valuables.items.filter((i) => i.answer === 'taken')).toHaveLength(saved!.valuables.items.length - 2);
    expect(readinessIssues(saved!).filter((i) => i.section === 'valuables')).toEqual([]);
  });

  it('renders in English', async () => {
    const intake = await createIntake({ id: 'sa', name: 'SA' });
    renderStep(ValuablesStep, intake.id, 'en');
    expect(await screen.findByLabelText('Steering-wheel cover')).toBeTruthy();
    expect(within(screen.getByTestId('valuable-cash')).getByRole('group', { name: 'Cash / wallet: what the customer did' })).toBeTruthy();
  });

  it('is read-only once signed', async () => {
    const intake = await createIntake({ id: 'sa', name: 'SA' });
    await signForTest(intake.id);
    renderStep(ValuablesStep, intake.id);
    expect(((await screen.findByLabelText('座椅套')) as HTMLInputElement).disabled).toBe(true);
    expect((within(screen.getByTestId('valuable-cash')).getByRole('button', { name: '已取走' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
