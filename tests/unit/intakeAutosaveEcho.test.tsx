// Regression: a live-query result that still carries an older saved value of this editor must
// not roll back what was typed after it (found by the customer/vehicle step's typing test: the
// salutation vanished when a stale echo arrived between two saves).
import { beforeEach, expect, it } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake } from '../../src/store/intakeWrites';
import { useSection } from '../../src/db/useSection';
import type { Intake } from '../../src/model/intake/schema';
import { waitForAutosave } from './intakeStepHost';

function Editor({ intake }: { intake: Intake }) {
  const ed = useSection(intake, 'customer');
  return (
    <label>
      name
      <input value={ed.value.name} onChange={(e) => ed.set((c) => ({ ...c, name: e.target.value }))} />
    </label>
  );
}

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

it('ignores a stale echo of an earlier save and keeps the newer text', async () => {
  const intake = await createIntake({ id: 'a', name: 'A' });
  const { rerender } = render(<Editor intake={intake} />);
  const input = screen.getByLabelText('name') as HTMLInputElement;
  fireEvent.change(input, { target: { value: '王' } });
  await waitForAutosave();
  const first = (await getIntake(intake.id)) as Intake;
  fireEvent.change(input, { target: { value: '王小明' } });
  await waitForAutosave();
  // The record as it was after the first save arrives late (a live query rendered out of order).
  await act(async () => rerender(<Editor intake={first} />));
  expect(input.value).toBe('王小明');
  expect((await getIntake(intake.id))?.customer.name).toBe('王小明');
  // A genuinely new value from elsewhere (sync) is still followed.
  await act(async () => rerender(<Editor intake={{ ...first, customer: { ...first.customer, name: '李四' } }} />));
  expect(input.value).toBe('李四');
});
