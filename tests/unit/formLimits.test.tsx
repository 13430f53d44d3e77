/** The form shows the limits before they bite (maxLength from src/model/text.ts) and says why a text cannot be saved. */
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake } from '../../src/store/intakeWrites';
import { CustomerVehicleStep } from '../../src/features/intake/CustomerVehicleStep';
import { LIMITS } from '../../src/model/text';
import { renderStep } from './intakeStepHost';

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

describe('form limits', { timeout: 30_000 }, () => {
  it('inputs carry the schema limits; a NUL in the name is an error in words', async () => {
    const intake = await createIntake({ id: 'sa1', name: '李顾问' });
    renderStep(CustomerVehicleStep, intake.id);
    const name = (await screen.findByLabelText(/客户姓名/)) as HTMLInputElement;
    expect(name.maxLength).toBe(LIMITS.name);
    expect((screen.getByLabelText(/故障描述/) as HTMLTextAreaElement).maxLength).toBe(LIMITS.longNote);
    fireEvent.change(name, { target: { value: '王\u0000芳' } });
    fireEvent.blur(name);
    await waitFor(() => expect(document.body.textContent).toContain('含有无法保存的字符'));
    expect(name.getAttribute('aria-invalid')).toBe('true');
  });
});
