/**
 * 今日预约 as a screen (jsdom + fake-indexeddb, the real store): the day in slot order with what to
 * bring; no-show, cancel in two taps, book again; and a technician sees the day without actions.
 * (The one-tap arrival into the prefilled intake is proved in Chromium: tests/e2e/appointments.e2e.ts.)
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
// useDatabase swaps the module's database (not a React hook despite its name).
import { getDb, useDatabase as selectDatabase, WalkaroundDB } from '../../src/store/db';
import { I18nProvider } from '../../src/i18n/i18n';
import { SessionProvider, saveSession } from '../../src/store/session';
import { AppointmentsScreen } from '../../src/features/appointments/AppointmentsScreen';
import { createAppointment } from '../../src/store/appointmentWrites';
import { BRING_ITEMS, type AppointmentDetails } from '../../src/model/appointment/schema';
import type { Role } from '../../src/store/device';

const details = (over: Partial<AppointmentDetails>): AppointmentDetails => ({
  date: '2026-12-01',
  time: '15:00',
  durationMinutes: 60,
  customer: { name: '钱女士', mobile: '13900139000' },
  vehicle: { plate: '沪A12345', vin: '', make: '', model: '' },
  serviceType: 'maintenance',
  symptoms: '保养',
  advisor: null,
  bring: [...BRING_ITEMS],
  note: '',
  ...over,
});

async function as(role: Role) {
  selectDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  await saveSession({ token: 'x', deviceId: 'd', dealership: { id: 'dl', name: '示范4S店', slug: 'demo' }, staff: { id: `${role}-1`, name: '王芳', role } });
}

function wrap() {
  return render(
    <I18nProvider lang="zh-CN">
      <SessionProvider>
        <AppointmentsScreen date="2026-12-01" />
      </SessionProvider>
    </I18nProvider>,
  );
}

describe('今日预约 screen', () => {
  beforeEach(() => as('advisor'));

  it('lists the day by time; no-show, cancel in two taps, and book again', async () => {
    const user = userEvent.setup();
    await createAppointment(details({}));
    await createAppointment(details({ time: '09:30', customer: { name: '孙先生', mobile: '' }, vehicle: { plate: '京B54321', vin: '', make: '', model: '' }, serviceType: 'repair', symptoms: '冷车异响', bring: ['serviceRecords'] }));
    await createAppointment(details({ date: '2026-12-02', customer: { name: '明天的客户', mobile: '' } }));
    wrap();
    const list = await screen.findByRole('list', { name: '预约列表（按时间）' });
    await waitFor(() => expect(within(list).getAllByTestId('appointment')).toHaveLength(2));
    const [first, second] = within(list).getAllByTestId('appointment') as [HTMLElement, HTMLElement];
    expect(first.textContent).toContain('09:30');
    expect(first.textContent).toContain('孙先生');
    expect(first.textContent).toContain('故障维修');
    expect(first.textContent).toContain('提醒携带: 维修记录');
    expect(second.textContent).toContain('钱女士');
    expect(screen.getByRole('status').textContent).toBe('共 2 个预约，2 个待到店');

    await user.click(within(first).getByRole('button', { name: '未到店' }));
    await waitFor(() => expect(within(first).getByText('未到店', { selector: '.badge' })).toBeTruthy());
    await user.click(within(second).getByRole('button', { name: '取消预约' }));
    expect((await getDb().appointments.where('status').equals('cancelled').count())).toBe(0); // one tap only asks
    await user.click(within(second).getByRole('button', { name: '确认取消' }));
    await waitFor(() => expect(within(second).getByText('已取消')).toBeTruthy());
    await user.click(within(second).getByRole('button', { name: '恢复预约' }));
    await waitFor(() => expect(within(second).getByText('待到店')).toBeTruthy());
    expect((await getDb().outbox.toArray()).map((e) => e.op)).toEqual(['appointment', 'appointment', 'appointment', 'appointmentStatus', 'appointmentStatus', 'appointmentStatus']);
  });

  it('a technician sees the day but no actions', async () => {
    await as('technician');
    await getDb().appointments.put({ ...details({}), id: crypto.randomUUID(), externalId: 'DMS-1', source: 'dms', status: 'booked', intakeId: null, statusAt: null, createdAt: '2026-11-30T00:00:00.000Z', updatedAt: '2026-11-30T00:00:00.000Z' });
    wrap();
    const card = await screen.findByTestId('appointment');
    expect(card.textContent).toContain('预约单号 DMS-1');
    expect(within(card).queryAllByRole('button')).toEqual([]);
    expect(screen.queryByRole('link', { name: /新建预约/ })).toBeNull();
  });
});
