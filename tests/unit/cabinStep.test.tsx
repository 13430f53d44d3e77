import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake } from '../../src/store/intakeWrites';
import { defaultTemplate } from '../../src/shared/template/template';
import { readinessIssues } from '../../src/model/intake/readiness';
import { sha256Hex } from '../../src/shared/sha256';
import { renderStep, signForTest, waitForAutosave } from './intakeStepHost';

// jsdom cannot decode images (the real pipeline runs in the e2e tests): processing is fixed,
// storing, hashing and verifying are real.
vi.mock('../../src/photos/processPhoto', async (orig) => {
  const real = await orig<typeof import('../../src/photos/processPhoto')>();
  return {
    ...real,
    processPhoto: vi.fn(async (blob: Blob) => ({ bytes: await blob.arrayBuffer(), type: 'image/jpeg', width: 1600, height: 1200 })),
  };
});
const { CabinStep } = await import('../../src/features/cabin/CabinStep');
const { occurrences, spokenText } = await import('./spokenText');

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

describe('CabinStep', { timeout: 30_000 }, () => {
  it('needs consent, then calls out items in template order; "all OK" marks only the unset ones', async () => {
    const user = userEvent.setup();
    const intake = await createIntake({ id: 'sa', name: 'SA' });
    renderStep(CabinStep, intake.id);
    const acRow = await screen.findByTestId('cabin-ac');
    // the item is heard once, as the name of its result group
    expect(occurrences(spokenText(acRow), '空调')).toBe(1);
    expect(within(acRow).getByRole('group', { name: '空调：检查结果' })).toBeTruthy();
    expect((within(acRow).getByRole('button', { name: '正常' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/未征得顾客同意/)).toBeTruthy();
    await user.click(screen.getByLabelText('已征得顾客同意检查车内'));

    // Order follows the template (唱检).
    const rows = screen.getAllByTestId(/^cabin-/).filter((el) => el.tagName === 'LI');
    expect(rows.map((r) => r.dataset['testid'])).toEqual(defaultTemplate.cabinItems.map((c) => `cabin-${c.id}`));

    await user.click(within(acRow).getByRole('button', { name: '有问题' }));
    await user.type(within(acRow).getByLabelText('空调：问题说明'), '不制冷');
    await user.click(screen.getByRole('button', { name: '其余全部正常' }));
    expect(screen.getByTestId('cabin-progress').textContent).toBe(`已检 ${defaultTemplate.cabinItems.length}/${defaultTemplate.cabinItems.length} 项 · 有问题 1 项`);
    expect(within(acRow).getByRole('button', { name: '有问题' }).getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByRole('button', { name: '其余全部正常' }) as HTMLButtonElement).disabled).toBe(true);

    // Odometer and fuel are the visit's, edited here too.
    await user.type(screen.getByLabelText(/行驶里程/), '88000');
    await user.click(screen.getByRole('button', { name: '满（8/8）' }));
    await waitForAutosave();

    const saved = (await getIntake(intake.id))!;
    expect(saved.cabin.consent).toBe(true);
    expect(saved.cabin.items['ac']).toEqual({ status: 'issue', note: '不制冷', photos: [] });
    for (const c of defaultTemplate.cabinItems) if (c.id !== 'ac') expect(saved.cabin.items[c.id]?.status).toBe('ok');
    expect(saved.visit).toMatchObject({ odometerKm: 88000, fuelEighths: 8 });
    expect(readinessIssues(saved).filter((i) => i.section === 'cabin' || i.section === 'visit')).toEqual([]);
  });

  it('saves the section before the camera opens, then adds the photo to the item', async () => {
    const user = userEvent.setup();
    const intake = await createIntake({ id: 'sa', name: 'SA' });
    renderStep(CabinStep, intake.id);
    await user.click(await screen.findByLabelText('已征得顾客同意检查车内'));
    const seats = screen.getByTestId('cabin-seats');
    await user.click(within(seats).getByRole('button', { name: '有问题' }));
    fireEvent.change(within(seats).getByLabelText('座椅：问题说明'), { target: { value: '主驾座椅破损' } });
    // Touch the camera button: the draft must be in IndexedDB before the camera takes over,
    // without waiting for the autosave delay.
    const camera = within(seats).getByLabelText('拍照：座椅') as HTMLInputElement;
    fireEvent.pointerDown(camera);
    await act(() => new Promise((r) => setTimeout(r, 30)));
    expect((await getIntake(intake.id))?.cabin.items['seats']).toMatchObject({ status: 'issue', note: '主驾座椅破损' });

    const file = new File([new Uint8Array([0xff, 0xd8, 7, 8, 9])], 'seat.jpg', { type: 'image/jpeg' });
    fireEvent.change(camera, { target: { files: [file] } });
    const hash = sha256Hex(await file.arrayBuffer());
    await waitFor(async () => expect((await getIntake(intake.id))?.cabin.items['seats']?.photos).toEqual([hash]));
    expect(await within(seats).findByRole('button', { name: /车内 座椅/ })).toBeTruthy();
  });

  it('renders in English', async () => {
    const intake = await createIntake({ id: 'sa', name: 'SA' });
    renderStep(CabinStep, intake.id, 'en');
    expect(await screen.findByLabelText("Customer's consent to check the cabin")).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Air conditioning: result' })).toBeTruthy();
  });

  it('is read-only once signed, photos still viewable but no camera', async () => {
    const intake = await createIntake({ id: 'sa', name: 'SA' });
    await signForTest(intake.id);
    renderStep(CabinStep, intake.id);
    expect(((await screen.findByLabelText('已征得顾客同意检查车内')) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: '其余全部正常' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByLabelText(/^拍照/)).toBeNull();
  });
});
