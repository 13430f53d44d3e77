import { beforeEach, describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake } from '../../src/store/intakeWrites';
import { useIntake } from '../../src/store/queries';
import { I18nProvider } from '../../src/i18n/i18n';
import { WalkaroundStep } from '../../src/features/walkaround/WalkaroundStep';
import { positionComplete } from '../../src/model/intake/readiness';
import { DIAGRAM_H, DIAGRAM_W } from '../../src/features/walkaround/diagramGeometry';
import type { Intake } from '../../src/model/intake/schema';

function Host({ id }: { id: string }) {
  const intake = useIntake(id);
  return intake ? <WalkaroundStep intake={intake} /> : null;
}

const renderStep = (id: string) =>
  render(
    <I18nProvider lang="zh-CN">
      <Host id={id} />
    </I18nProvider>,
  );

async function stored(id: string): Promise<Intake> {
  const i = await getIntake(id);
  if (!i) throw new Error('missing');
  return i;
}

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

describe('WalkaroundStep', () => {
  it('starts at position 1 and completes it with "no damage here", recording completedAt', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    renderStep(intake.id);
    expect(await screen.findByRole('heading', { name: /方位 1：左前/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: '本方位无损伤' }));
    await waitFor(async () => expect(positionComplete(await stored(intake.id), 'lf')).toBe(true));
    const s = await stored(intake.id);
    expect(Date.parse(s.walkaround.positions.lf!.completedAt!)).not.toBeNaN();
    expect(screen.getByRole('button', { name: /方位 1 左前：无损伤/ })).toBeTruthy();
    // next position follows the walking order
    fireEvent.click(screen.getByRole('button', { name: /下一个方位：2 车头/ }));
    expect(screen.getByRole('heading', { name: /方位 2：车头/ })).toBeTruthy();
  });

  it('a finding is saved at once, disables "no damage", and takes a marker from a tap on the diagram', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    renderStep(intake.id);
    fireEvent.click(await screen.findByRole('button', { name: '为“左前门”添加损伤' }));
    // the camera button is enabled only once the finding is in the stored record
    await waitFor(async () => expect((await stored(intake.id)).walkaround.findings).toHaveLength(1));
    expect((screen.getByRole('checkbox', { name: '本方位无损伤' }) as HTMLInputElement).disabled).toBe(true);
    const card = screen.getByRole('region', { name: /损伤 1：左前门/ });
    await waitFor(() => expect((within(card).getByLabelText('为损伤 1 拍照') as HTMLInputElement).disabled).toBe(false));

    fireEvent.click(within(card).getByRole('button', { name: '划痕' }));
    fireEvent.click(within(card).getByRole('button', { name: '中等' }));

    // placing mode was entered by adding the finding: tap the driver's door area
    const svg = screen.getByTestId('vehicle-diagram');
    svg.getBoundingClientRect = () => ({ left: 0, top: 0, width: DIAGRAM_W, height: DIAGRAM_H, right: DIAGRAM_W, bottom: DIAGRAM_H, x: 0, y: 0, toJSON: () => ({}) });
    fireEvent.click(svg, { clientX: DIAGRAM_W * 0.2, clientY: DIAGRAM_H * 0.3 });

    await waitFor(async () => {
      const f = (await stored(intake.id)).walkaround.findings[0]!;
      expect(f).toMatchObject({ positionId: 'lf', itemId: 'lf-door', type: 'scratch', severity: 'moderate', marker: { x: 0.2, y: 0.3 }, foundAt: 'intake' });
    });
    const s = await stored(intake.id);
    expect(s.walkaround.positions.lf).toMatchObject({ noDamage: false, items: { 'lf-door': 'finding' } });
    expect(positionComplete(s, 'lf')).toBe(true);
    expect(svg.querySelector('[data-finding]')?.getAttribute('data-found-at')).toBe('intake');
  });

  it('a tap in the current position with nothing being placed adds a finding there; elsewhere it moves to that position', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    renderStep(intake.id);
    const svg = await screen.findByTestId('vehicle-diagram');
    svg.getBoundingClientRect = () => ({ left: 0, top: 0, width: DIAGRAM_W, height: DIAGRAM_H, right: DIAGRAM_W, bottom: DIAGRAM_H, x: 0, y: 0, toJSON: () => ({}) });
    fireEvent.click(svg, { clientX: DIAGRAM_W * 0.8, clientY: DIAGRAM_H * 0.7 }); // right rear
    expect(screen.getByRole('heading', { name: /方位 4：右后/ })).toBeTruthy();
    fireEvent.click(svg, { clientX: DIAGRAM_W * 0.9, clientY: DIAGRAM_H * 0.6 });
    await waitFor(async () => expect((await stored(intake.id)).walkaround.findings[0]).toMatchObject({ positionId: 'rr', itemId: '', marker: { x: 0.9, y: 0.6 } }));
  });

  it('keyboard alternative: "place marker at the centre of this position"', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    renderStep(intake.id);
    fireEvent.click(await screen.findByRole('button', { name: '为“左后视镜”添加损伤' }));
    fireEvent.click(screen.getByRole('button', { name: '在本方位中心放置标记' }));
    await waitFor(async () => expect((await stored(intake.id)).walkaround.findings[0]?.marker).toEqual({ x: 0.25, y: 0.31 }));
  });

  it('deleting the only finding (after confirming) makes the position incomplete again', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    renderStep(intake.id);
    fireEvent.click(await screen.findByRole('button', { name: '为“左前门”添加损伤' }));
    await waitFor(async () => expect(positionComplete(await stored(intake.id), 'lf')).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: '删除损伤' }));
    fireEvent.click(screen.getByRole('button', { name: '删除' }));
    await waitFor(async () => expect((await stored(intake.id)).walkaround.findings).toHaveLength(0));
    const s = await stored(intake.id);
    expect(s.walkaround.positions.lf).toEqual({ items: {}, noDamage: false, completedAt: null });
    expect((screen.getByRole('checkbox', { name: '本方位无损伤' }) as HTMLInputElement).disabled).toBe(false);
  });

  it('is read-only when signed', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    const signed: Intake = {
      ...intake,
      status: 'signed',
      walkaround: {
        ...intake.walkaround,
        findings: [{ id: 'x', positionId: 'lf', itemId: 'lf-door', type: 'dent', severity: 'minor', marker: { x: 0.2, y: 0.3 }, photos: [], note: '', createdAt: intake.createdAt, foundAt: 'intake' }],
      },
    };
    render(
      <I18nProvider lang="en">
        <WalkaroundStep intake={signed} />
      </I18nProvider>,
    );
    expect(screen.getByText('This intake is signed; the walk-around is read-only.')).toBeTruthy();
    expect(screen.getByRole('img', { name: /Top view of the car.*1 damage marker\b/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Delete damage' })).toBeNull();
    expect(screen.queryByLabelText('Take photo for damage 1')).toBeNull();
    expect((screen.getByRole('button', { name: 'Dent' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'No damage at this position' }) as HTMLInputElement).disabled).toBe(true);
    await act(async () => {});
  });
});
