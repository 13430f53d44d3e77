/** A stuck change is shown to staff: counted on the sync badge, listed with its reason in Settings. */
import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { getDb } from '../../src/store/db';
import { I18nProvider } from '../../src/i18n/i18n';
import { SessionProvider } from '../../src/store/session';
import { ADVISOR_ID, freshAdvisorTablet } from './deviceFixture';
import { SettingsScreen } from '../../src/features/settings/SettingsScreen';
import { SyncBadge } from '../../src/features/sync/SyncBadge';
import { createIntake, updateSection } from '../../src/store/intakeWrites';
import { pushOutbox, STUCK_AFTER_SERVER_ERRORS } from '../../src/sync/pushOutbox';
import { SyncError } from '../../src/sync/syncErrors';
import { fakeApi } from './syncFakes';

const ADV = ADVISOR_ID;

beforeEach(freshAdvisorTablet);

describe('stuck changes on screen', () => {
  it('the badge counts them and Settings lists them with the reason; the other intake is synced', async () => {
    const db = getDb();
    const bad = await createIntake({ id: ADV, name: '王芳' });
    await updateSection(bad.id, 'vehicle', { ...bad.vehicle, plate: '京A12345' });
    await createIntake({ id: ADV, name: '王芳' });
    const api = fakeApi();
    const orig = api.push;
    api.push = async (ms) => {
      if (ms.some((m) => m.op === 'patch' && m.intakeId === bad.id)) throw new SyncError('server', 'HTTP 500: internal server error', 500);
      return orig(ms);
    };
    for (let i = 0; i < STUCK_AFTER_SERVER_ERRORS; i++) await pushOutbox({ db, api }).catch((e: unknown) => e); // runs 2.. fail until it is stuck
    expect(await db.outbox.count()).toBe(1);

    render(
      <I18nProvider lang="zh-CN">
        <SessionProvider>
          <SyncBadge />
          <SettingsScreen />
        </SessionProvider>
      </I18nProvider>,
    );
    expect(await screen.findByRole('link', { name: /1 项未被接收/ })).toBeTruthy();
    const list = await screen.findByTestId('stuck-changes');
    expect(within(list).getByText('服务器暂未接收的修改')).toBeTruthy();
    expect(list.textContent).toContain('HTTP 500');
    expect(list.textContent).toContain('重试');
  });
});
