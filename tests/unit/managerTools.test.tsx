/**
 * The manager tools ask for the manager's PASSWORD (step-up) before any manager action, and
 * lock again when the server says the step-up ran out. The fake server below answers like the
 * real one (src/server/routes/auth.ts, manager.ts): 401 wrong_password, 403 step_up_required.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { I18nProvider } from '../../src/i18n/i18n';
import { SessionProvider, saveSession } from '../../src/store/session';
import { configureHttp } from '../../src/sync/http';
import { ManagerTools } from '../../src/features/settings/ManagerTools';

const MGR = '55555555-5555-4555-8555-555555555555';
const DEAL = '33333333-3333-4333-8333-333333333333';
const DEV = '44444444-4444-4444-8444-444444444444';

interface Sent {
  path: string;
  body: unknown;
}

function fakeServer(password: string) {
  const sent: Sent[] = [];
  let steppedUp = false;
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
  const fetch = (async (url: RequestInfo | URL, init?: RequestInit) => {
    const path = String(url);
    const body: unknown = init?.body ? JSON.parse(String(init.body)) : null;
    sent.push({ path, body });
    if (path === '/api/auth/step-up') {
      if ((body as { password?: string }).password !== password) return json(401, { error: 'wrong_password', message: 'wrong password', attemptsLeft: 9 });
      steppedUp = true;
      return json(200, { staff: { id: MGR, username: 'manager', name: '赵经理', role: 'manager' }, stepUpUntil: new Date(Date.now() + 300_000).toISOString() });
    }
    if (path === '/api/devices') {
      if (!steppedUp) return json(403, { error: 'step_up_required', message: 'password please' });
      return json(200, { devices: [{ id: DEV, name: '前台1号', createdAt: new Date().toISOString(), lastSeenAt: null, revokedAt: null, staffId: MGR }] });
    }
    return json(404, { error: 'not_found', message: path });
  }) as typeof globalThis.fetch;
  return { fetch, sent, expire: () => (steppedUp = false) };
}

beforeEach(async () => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  await saveSession({
    token: 'tok-abcdefghijkl',
    deviceId: DEV,
    deviceName: '前台1号',
    dealership: { id: DEAL, name: '示范4S店', slug: 'demo' },
    staff: { id: MGR, name: '赵经理', role: 'manager' },
    loginStaffId: MGR,
    serverStaffIds: [MGR],
  });
});

function wrap() {
  return render(
    <I18nProvider lang="zh-CN">
      <SessionProvider>
        <ManagerTools />
      </SessionProvider>
    </I18nProvider>,
  );
}

describe('manager tools', () => {
  it('need the password re-entered: refused on a wrong one, open after the right one, closed again when it runs out', async () => {
    const server = fakeServer('demo-manager-1');
    configureHttp({ baseUrl: '', fetch: server.fetch });
    const user = userEvent.setup();
    wrap();
    const devices = await screen.findByRole('button', { name: '查看设备' });
    expect(devices).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: '添加员工' })).toHaveProperty('disabled', true);

    await user.type(screen.getByLabelText('经理密码'), '3456'); // a PIN is not the password
    await user.click(screen.getByRole('button', { name: '确认密码' }));
    expect((await screen.findByRole('alert')).textContent).toContain('密码不正确');
    expect(devices).toHaveProperty('disabled', true);

    await user.type(screen.getByLabelText('经理密码'), 'demo-manager-1');
    await user.click(screen.getByRole('button', { name: '确认密码' }));
    expect((await screen.findByRole('status')).textContent).toContain('密码已确认');
    expect(screen.getByLabelText('经理密码')).toHaveProperty('value', '');
    await waitFor(() => expect(devices).toHaveProperty('disabled', false));
    await user.click(devices);
    expect(await screen.findByText('前台1号')).toBeTruthy();
    expect(server.sent.filter((s) => s.path === '/api/auth/step-up').map((s) => s.body)).toEqual([{ password: '3456' }, { password: 'demo-manager-1' }]);

    server.expire();
    await user.click(devices);
    expect((await screen.findByRole('alert')).textContent).toContain('请先重新输入经理密码');
    await waitFor(() => expect(devices).toHaveProperty('disabled', true));
  });
});
