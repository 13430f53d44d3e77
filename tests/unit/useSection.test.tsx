import { beforeEach, describe, expect, it } from 'vitest';
import { act, render, screen, fireEvent } from '@testing-library/react';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake, signIntake } from '../../src/store/intakeWrites';
import { createReadyDraft } from '../fixtures/readyStored';
import { useSection, AUTOSAVE_DELAY_MS } from '../../src/db/useSection';
import { useIntake } from '../../src/store/queries';
import type { Intake } from '../../src/model/intake/schema';
import { contentHash } from '../../src/model/intake/signedContent';

function Editor({ intake }: { intake: Intake }) {
  const ed = useSection(intake, 'complaint');
  return (
    <>
      <label>
        symptom
        <input value={ed.value.symptom} readOnly={ed.readOnly} onChange={(e) => ed.set((c) => ({ ...c, symptom: e.target.value }))} />
      </label>
      <span data-testid="state">{ed.state}</span>
    </>
  );
}

function Host({ id }: { id: string }) {
  const intake = useIntake(id);
  return intake ? <Editor intake={intake} /> : null;
}

const wait = (ms: number) => act(() => new Promise((r) => setTimeout(r, ms)));

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

describe('useSection autosave', () => {
  it('writes the typed text shortly after the last keystroke, without a save button', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    render(<Host id={intake.id} />);
    const input = await screen.findByLabelText('symptom');
    fireEvent.change(input, { target: { value: '冷车启动' } });
    fireEvent.change(input, { target: { value: '冷车启动异响' } });
    expect((await getIntake(intake.id))?.complaint.symptom).toBe('');
    await wait(AUTOSAVE_DELAY_MS + 150);
    expect((await getIntake(intake.id))?.complaint.symptom).toBe('冷车启动异响');
    expect(screen.getByTestId('state').textContent).toBe('saved');
  });

  it('saves at once when the page is hidden or closed', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    render(<Host id={intake.id} />);
    const input = await screen.findByLabelText('symptom');
    fireEvent.change(input, { target: { value: '刹车软' } });
    await act(async () => {
      window.dispatchEvent(new Event('pagehide'));
      await new Promise((r) => setTimeout(r, 30));
    });
    expect((await getIntake(intake.id))?.complaint.symptom).toBe('刹车软');
  });

  it('saves when the screen is left', async () => {
    const intake = await createIntake({ id: 'a', name: 'A' });
    const { unmount } = render(<Host id={intake.id} />);
    fireEvent.change(await screen.findByLabelText('symptom'), { target: { value: '方向盘抖' } });
    unmount();
    await wait(50);
    expect((await getIntake(intake.id))?.complaint.symptom).toBe('方向盘抖');
  });

  it('is read-only once signed', async () => {
    const intake = await createReadyDraft({ id: 'a', name: 'A' });
    const h = contentHash(intake);
    await signIntake(intake.id, h, [
      { role: 'customer', name: 'c', strokes: [{ points: [{ x: 0, y: 0, time: 0 }] }], width: 1, height: 1, signedAt: new Date().toISOString(), contentHash: h },
    ]);
    render(<Host id={intake.id} />);
    const input = (await screen.findByLabelText('symptom')) as HTMLInputElement;
    expect(input.readOnly).toBe(true);
  });
});
