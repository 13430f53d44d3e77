import { beforeEach, describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake, updateSection } from '../../src/store/intakeWrites';
import { useIntake } from '../../src/store/queries';
import { I18nProvider } from '../../src/i18n/i18n';
import { WalkaroundStep } from '../../src/features/walkaround/WalkaroundStep';
import { positionComplete } from '../../src/model/intake/readiness';
import { DIAGRAM_H, DIAGRAM_W } from '../../src/features/walkaround/diagramGeometry';
import type { Intake } from '../../src/model/intake/schema';
import { earlierDamage } from '../fixtures/previousDamage';

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

const rect = (svg: Element) => {
  (svg as SVGSVGElement).getBoundingClientRect = () => ({ left: 0, top: 0, width: DIAGRAM_W, height: DIAGRAM_H, right: DIAGRAM_W, bottom: DIAGRAM_H, x: 0, y: 0, toJSON: () => ({}) });
};

describe('WalkaroundStep', () => {
  it('"no damage here" sets every item OK, completes position 1 and moves on to position 2 by itself', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    renderStep(intake.id);
    expect(await screen.findByRole('heading', { name: /方位 1：左前/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: '本方位无损伤' }));
    await waitFor(async () => expect(positionComplete(await stored(intake.id), 'lf')).toBe(true));
    const s = await stored(intake.id);
    expect(Date.parse(s.walkaround.positions.lf!.completedAt!)).not.toBeNaN();
    expect(Object.values(s.walkaround.positions.lf!.items)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    // the walk moved on; position 1 is attested on its own (no whole-car shortcut)
    expect(screen.getByRole('heading', { name: /方位 2：车头/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /方位 1 左前：无损伤/ })).toBeTruthy();
    expect(screen.getByText('方位 1 已完成，转到下一个方位')).toBeTruthy();
    expect(positionComplete(s, 'f')).toBe(false);
  });

  it('one finding does not complete a position: the other items need "其余项目正常" (one tap)', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    renderStep(intake.id);
    fireEvent.click(await screen.findByRole('button', { name: '在左前门标记损伤' }));
    await waitFor(async () => expect((await stored(intake.id)).walkaround.findings).toHaveLength(1));
    expect(screen.queryByRole('checkbox', { name: '本方位无损伤' })).toBeNull();
    expect(positionComplete(await stored(intake.id), 'lf')).toBe(false);
    expect(screen.getByRole('button', { name: /方位 1 左前：未完成 · 还有 4 项未检查/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '其余项目正常' }));
    await waitFor(async () => expect(positionComplete(await stored(intake.id), 'lf')).toBe(true));
    const s = await stored(intake.id);
    expect(s.walkaround.positions.lf!.items).toEqual({ 'lf-door': 'finding', 'lf-fender': 'ok', 'lf-mirror': 'ok', 'lf-window': 'ok', 'lf-wheel': 'ok' });
    expect(screen.queryByRole('button', { name: '其余项目正常' })).toBeNull();
  });

  it("a position with an earlier visit's damage still to mark is not done on its chip, even with every item OK, and the walk stays there", async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    const earlier = earlierDamage('e1', 'lf', { itemId: 'lf-door' });
    await updateSection(intake.id, 'history', { vehicleId: 'veh', lastVisit: null, previous: [earlier], carried: [] });
    renderStep(intake.id);
    fireEvent.click(await screen.findByRole('checkbox', { name: '本方位无损伤' }));
    await waitFor(async () => expect(positionComplete(await stored(intake.id), 'lf')).toBe(true));
    expect(screen.getByRole('button', { name: /方位 1 左前：未完成 · 还有 1 处以往损伤未确认/ })).toBeTruthy();
    // It stays at the position (the earlier damage is marked here), instead of moving on.
    expect(screen.getByRole('heading', { name: /方位 1：左前/ })).toBeTruthy();
    expect(screen.getByText('已完成 0/6 个方位')).toBeTruthy();
    // Marked (still there): the position is done.
    const s = await stored(intake.id);
    await act(async () => void (await updateSection(intake.id, 'history', { ...s.history!, previous: [{ ...earlier, status: 'present' }] })));
    expect(await screen.findByRole('button', { name: /方位 1 左前：无损伤/ })).toBeTruthy();
    expect(screen.getByText('已完成 1/6 个方位')).toBeTruthy();
  });

  it('a finding made from its item is saved at once and takes a marker from a tap on the diagram', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    renderStep(intake.id);
    fireEvent.click(await screen.findByRole('button', { name: '在左前门标记损伤' }));
    await waitFor(async () => expect((await stored(intake.id)).walkaround.findings).toHaveLength(1));
    const card = screen.getByRole('region', { name: /损伤 1：左前门/ });
    // the camera button (a real button) is enabled only once the finding is in the stored record
    await waitFor(() => expect((within(card).getByRole('button', { name: '为损伤 1 拍照' }) as HTMLButtonElement).disabled).toBe(false));

    fireEvent.click(within(card).getByRole('button', { name: '划痕' }));
    fireEvent.click(within(card).getByRole('button', { name: '中等' }));
    // no photo yet: the card asks for one or the reason
    expect(within(card).getByText('请拍照，或填写未拍照原因')).toBeTruthy();
    fireEvent.change(within(card).getByLabelText('未拍照原因'), { target: { value: '顾客不同意拍照' } });

    // placing mode was entered by adding the finding: tap the driver's door area
    const svg = screen.getByTestId('vehicle-diagram');
    rect(svg);
    fireEvent.click(svg, { clientX: DIAGRAM_W * 0.2, clientY: DIAGRAM_H * 0.3 });

    await waitFor(async () => {
      const f = (await stored(intake.id)).walkaround.findings[0]!;
      expect(f).toMatchObject({ positionId: 'lf', itemId: 'lf-door', type: 'scratch', severity: 'moderate', marker: { x: 0.2, y: 0.3 }, noPhotoReason: '顾客不同意拍照', foundAt: 'intake' });
    });
    expect(within(card).queryByText('请拍照，或填写未拍照原因')).toBeNull();
    const s = await stored(intake.id);
    expect(s.walkaround.positions.lf).toMatchObject({ noDamage: false, items: { 'lf-door': 'finding' } });
    expect(svg.querySelector('[data-finding]')?.getAttribute('data-found-at')).toBe('intake');
  });

  it('a diagram tap with nothing being placed asks for the part and records nothing until one is chosen; elsewhere it moves there', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    renderStep(intake.id);
    const svg = await screen.findByTestId('vehicle-diagram');
    rect(svg);
    fireEvent.click(svg, { clientX: DIAGRAM_W * 0.8, clientY: DIAGRAM_H * 0.7 }); // right rear
    expect(screen.getByRole('heading', { name: /方位 4：右后/ })).toBeTruthy();
    fireEvent.click(svg, { clientX: DIAGRAM_W * 0.9, clientY: DIAGRAM_H * 0.6 });
    const chooser = screen.getByRole('group', { name: '在此处标记损伤：选择部位' });
    // cancelled: no empty entry is left behind
    fireEvent.click(within(chooser).getByRole('button', { name: '取消' }));
    expect(screen.queryByRole('group', { name: '在此处标记损伤：选择部位' })).toBeNull();
    await act(() => new Promise((r) => setTimeout(r, 400)));
    expect((await stored(intake.id)).walkaround.findings).toEqual([]);
    // chosen: a finding for that part, with the tapped marker
    fireEvent.click(svg, { clientX: DIAGRAM_W * 0.9, clientY: DIAGRAM_H * 0.6 });
    fireEvent.click(within(screen.getByRole('group', { name: '在此处标记损伤：选择部位' })).getByRole('button', { name: '右后车窗玻璃' }));
    await waitFor(async () => expect((await stored(intake.id)).walkaround.findings[0]).toMatchObject({ positionId: 'rr', itemId: 'rr-window', marker: { x: 0.9, y: 0.6 } }));
  });

  it('keyboard alternative: each item is a control, and "place marker at the centre of this position"', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    renderStep(intake.id);
    // not placing: the centre button asks for the part too (never an empty entry)
    fireEvent.click(await screen.findByRole('button', { name: '在本方位中心放置标记' }));
    expect(screen.getByRole('group', { name: '在此处标记损伤：选择部位' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '取消' }));
    fireEvent.click(screen.getByRole('button', { name: '在左后视镜标记损伤' }));
    fireEvent.click(screen.getByRole('button', { name: '在本方位中心放置标记' }));
    await waitFor(async () => expect((await stored(intake.id)).walkaround.findings[0]).toMatchObject({ itemId: 'lf-mirror', marker: { x: 0.25, y: 0.31 } }));
  });

  it('deleting the only finding (after confirming) makes its item unchecked again', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    renderStep(intake.id);
    fireEvent.click(await screen.findByRole('button', { name: '在左前门标记损伤' }));
    fireEvent.click(await screen.findByRole('button', { name: '其余项目正常' }));
    await waitFor(async () => expect(positionComplete(await stored(intake.id), 'lf')).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: '删除损伤' }));
    fireEvent.click(screen.getByRole('button', { name: '删除' }));
    await waitFor(async () => expect((await stored(intake.id)).walkaround.findings).toHaveLength(0));
    const s = await stored(intake.id);
    expect(s.walkaround.positions.lf).toMatchObject({ items: { 'lf-fender': 'ok', 'lf-mirror': 'ok', 'lf-window': 'ok', 'lf-wheel': 'ok' }, noDamage: false, completedAt: null });
    expect(positionComplete(s, 'lf')).toBe(false);
    expect((screen.getByRole('checkbox', { name: '本方位无损伤' }) as HTMLInputElement).disabled).toBe(false);
  });

  it('a readiness link to a finding opens its position and focuses its card', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    const f = { id: 'fx', positionId: 'rr', itemId: '', type: '', severity: '', marker: null, photos: [], note: '', createdAt: intake.createdAt, foundAt: 'intake' as const };
    await updateSection(intake.id, 'walkaround', { ...intake.walkaround, findings: [f] });
    location.hash = `#/intake/${intake.id}/walkaround/fx`;
    renderStep(intake.id);
    expect(await screen.findByRole('heading', { name: /方位 4：右后/ })).toBeTruthy();
    const card = await screen.findByRole('region', { name: /损伤 1：—/ });
    await waitFor(() => expect(document.activeElement).toBe(card));
    expect(within(card).getByText('请选择部位')).toBeTruthy();
    location.hash = '';
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
    expect(screen.queryByRole('button', { name: 'Take photo for damage 1' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Dent' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Mark damage on left front door' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Remaining items OK' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => {});
  });
});
