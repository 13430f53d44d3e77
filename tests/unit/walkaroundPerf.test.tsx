/**
 * The step with many findings: typing in one finding's note must re-render that finding only,
 * also after the autosave round-trip brings the record back from IndexedDB as new objects.
 * Counted, not timed: each finding card renders one PhotoStrip.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake, updateSection } from '../../src/store/intakeWrites';
import { useIntake } from '../../src/store/queries';
import { I18nProvider } from '../../src/i18n/i18n';
import type { Finding } from '../../src/model/intake/schema';

const renders = vi.hoisted(() => new Map<string, number>());
vi.mock('../../src/photos/PhotoStrip', async (orig) => {
  const real = await orig<typeof import('../../src/photos/PhotoStrip')>();
  return {
    ...real,
    PhotoStrip: (props: Parameters<typeof real.PhotoStrip>[0]) => {
      renders.set(props.alt, (renders.get(props.alt) ?? 0) + 1);
      return real.PhotoStrip(props);
    },
  };
});

const { WalkaroundStep } = await import('../../src/features/walkaround/WalkaroundStep');
const { shareFindings } = await import('../../src/features/walkaround/useStableFindings');

function Host({ id }: { id: string }) {
  const intake = useIntake(id);
  return intake ? <WalkaroundStep intake={intake} /> : null;
}

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  renders.clear();
});

const N = 24;

describe('walk-around with many findings', () => {
  it('typing in one note re-renders that finding only, before and after the autosave', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    const findings: Finding[] = Array.from({ length: N }, (_, i) => ({
      id: `f${i}`,
      positionId: 'lf',
      itemId: 'lf-door',
      type: 'scratch',
      severity: 'minor',
      marker: { x: 0.1 + (i % 5) * 0.08, y: 0.15 + Math.floor(i / 5) * 0.07 },
      photos: [i.toString(16).padStart(64, '0'), (i + 100).toString(16).padStart(64, '0')],
      note: '',
      createdAt: intake.createdAt,
      foundAt: 'intake',
    }));
    await updateSection(intake.id, 'walkaround', {
      ...intake.walkaround,
      findings,
      positions: { ...intake.walkaround.positions, lf: { items: { 'lf-door': 'finding', 'lf-fender': 'ok', 'lf-mirror': 'ok', 'lf-window': 'ok', 'lf-wheel': 'ok' }, noDamage: false, completedAt: intake.createdAt } },
    });
    render(
      <I18nProvider lang="zh-CN">
        <Host id={intake.id} />
      </I18nProvider>,
    );
    // position 1 is complete, so the step opens at position 2: go back to it
    fireEvent.click(await screen.findByRole('button', { name: /^方位 1 左前：24 处损伤/ }));
    const card = await screen.findByRole('region', { name: /损伤 1：左前门/ });
    await waitFor(() => expect(renders.size).toBe(N));
    const before = new Map(renders);

    fireEvent.change(within(card).getByLabelText('备注'), { target: { value: '长约 5 厘米' } });
    await waitFor(async () => expect((await getIntake(intake.id))?.walkaround.findings[0]?.note).toBe('长约 5 厘米'));
    // let the live query deliver the saved record back to the step (as new objects)
    await waitFor(() => expect(screen.getByText('已自动保存')).toBeTruthy());
    await act(() => new Promise((r) => setTimeout(r, 300)));

    const changed = [...renders].filter(([alt, n]) => n !== before.get(alt)).map(([alt]) => alt);
    expect(changed.length).toBe(1);
    expect(changed[0]).toMatch(/^损伤 1：/);
  });

  it('shareFindings keeps equal findings and replaces changed ones', () => {
    const a: Finding = { id: 'x', positionId: 'lf', itemId: '', type: '', severity: '', marker: null, photos: [], note: '', createdAt: '2026-01-01T00:00:00.000Z', foundAt: 'intake' };
    const first = shareFindings(new Map(), [a]);
    const again = shareFindings(first.cache, [{ ...a }]);
    expect(again.list[0]).toBe(a);
    const edited = shareFindings(again.cache, [{ ...a, note: 'n' }]);
    expect(edited.list[0]).not.toBe(a);
    expect(edited.list[0]!.note).toBe('n');
  });
});
