import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { I18nProvider } from '../../src/i18n/i18n';
import { SessionProvider, loadSession, saveSession, type DeviceSession } from '../../src/store/session';
import { LoginScreen } from '../../src/features/auth/LoginScreen';
import { StaffSwitcher } from '../../src/features/auth/StaffSwitcher';
import { SettingsScreen } from '../../src/features/settings/SettingsScreen';
import { SyncBadge } from '../../src/features/sync/SyncBadge';
import { ConflictBanner } from '../../src/features/sync/ConflictBanner';
import { configureHttp } from '../../src/sync/http';
import { checkStaffPin, pinLockOf, verifyStaffPin } from '../../src/features/auth/pin';
import { saveStaffList } from '../../src/store/session';
import { createIntake, getIntake, updateSection } from '../../src/store/intakeWrites';
import type { LoginResponse, PinVerifier, StaffWithPin } from '../../src/shared/auth';
import type { ReactNode } from 'react';

const ADV = '11111111-1111-4111-8111-111111111111';
const TECH = '22222222-2222-4222-8222-222222222222';
const DEAL = '33333333-3333-4333-8333-333333333333';
const DEV = '44444444-4444-4444-8444-444444444444';

function b64(u: Uint8Array): string {
  return btoa(String.fromCharCode(...u));
}

/** A verifier as the server makes it, with a small N so tests stay fast. */
async function verifier(pin: string): Promise<PinVerifier> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await scryptAsync(pin, salt, { N: 1024, r: 8, p: 1, dkLen: 32 });
  return { algorithm: 'scrypt', N: 1024, r: 8, p: 1, dkLen: 32, salt: b64(salt), hash: b64(hash) };
}

async function staffList(): Promise<StaffWithPin[]> {
  return [
    { id: ADV, username: 'advisor', name: '王芳', role: 'advisor', pin: await verifier('1234') },
    { id: TECH, username: 'technician', name: '李强', role: 'technician', pin: await verifier('2345') },
  ];
}

const session = (): DeviceSession => ({
  token: 'tok-abcdefghijkl',
  deviceId: DEV,
  deviceName: '前台1号',
  dealership: { id: DEAL, name: '示范4S店', slug: 'demo' },
  staff: { id: ADV, name: '王芳', role: 'advisor' },
  loginStaffId: ADV,
  serverStaffIds: [ADV],
});

function wrap(ui: ReactNode) {
  return render(
    <I18nProvider lang="zh-CN">
      <SessionProvider>{ui}</SessionProvider>
    </I18nProvider>,
  );
}

const offlineFetch = (async () => {
  throw new TypeError('Failed to fetch');
}) as typeof fetch;

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  configureHttp({ baseUrl: '', fetch: offlineFetch });
  localStorage.clear();
});

describe('PIN on the tablet', () => {
  it('verifies offline with the server parameters and locks after 5 wrong tries, persisted', async () => {
    await saveStaffList(await staffList());
    expect(await verifyStaffPin(ADV, '1234')).toBe(true);
    expect(await verifyStaffPin(ADV, '9999')).toBe(false);
    expect(await verifyStaffPin('nobody', '1234')).toBe(false);
    const now = new Date('2030-01-01T10:00:00Z');
    for (let i = 0; i < 4; i++) expect(await checkStaffPin(TECH, '0000', now)).toMatchObject({ ok: false, reason: 'wrong', attemptsLeft: 4 - i });
    expect(await checkStaffPin(TECH, '0000', now)).toMatchObject({ ok: false, reason: 'locked' });
    // Locked: the right PIN is refused too, and the lock lives in IndexedDB (a reload keeps it).
    expect(await checkStaffPin(TECH, '2345', now)).toMatchObject({ ok: false, reason: 'locked' });
    expect((await getDb().kv.get('auth.pinLocks'))?.value).toMatchObject({ [TECH]: { lockedUntil: expect.any(String) } });
    // After the lock period the PIN works again.
    const later = new Date(now.getTime() + 10 * 60_000);
    expect((await pinLockOf(TECH, later)).lockedUntil).toBeNull();
    expect(await checkStaffPin(TECH, '2345', later)).toMatchObject({ ok: true });
  });
});

describe('login screen', () => {
  it('asks for every field, then stores the session and the staff list with PIN verifiers', async () => {
    const list = await staffList();
    let sent: unknown = null;
    configureHttp({
      fetch: (async (_url: RequestInfo | URL, init?: RequestInit) => {
        sent = JSON.parse(String(init?.body));
        const res: LoginResponse = {
          token: 'tok-abcdefghijkl',
          device: { id: DEV, name: '前台1号', createdAt: new Date().toISOString(), lastSeenAt: null, revokedAt: null, staffId: ADV },
          staff: { id: ADV, username: 'advisor', name: '王芳', role: 'advisor' },
          dealership: { id: DEAL, slug: 'demo', name: '示范4S店' },
          staffList: list,
        };
        return new Response(JSON.stringify(res), { status: 201 });
      }) as typeof fetch,
    });
    const user = userEvent.setup();
    wrap(<LoginScreen />);
    await user.click(screen.getByRole('button', { name: '登录' }));
    expect(screen.getAllByText('请填写此项').length).toBeGreaterThanOrEqual(3);
    expect(screen.getByLabelText('设备名称')).not.toHaveProperty('value', '');
    await user.type(screen.getByLabelText('门店代码'), 'Demo');
    await user.type(screen.getByLabelText('用户名'), 'advisor');
    await user.type(screen.getByLabelText('密码'), 'demo-advisor-1');
    await user.click(screen.getByRole('button', { name: '登录' }));
    await waitFor(async () => expect((await loadSession())?.staff.name).toBe('王芳'));
    expect(sent).toMatchObject({ dealership: 'demo', username: 'advisor', password: 'demo-advisor-1' });
    expect(((await getDb().kv.get('auth.staff'))?.value as StaffWithPin[]).map((s) => s.pin.algorithm)).toEqual(['scrypt', 'scrypt']);
  });

  it('says so in words when the server is unreachable or the password is wrong', async () => {
    const user = userEvent.setup();
    wrap(<LoginScreen />);
    await user.type(screen.getByLabelText('门店代码'), 'demo');
    await user.type(screen.getByLabelText('用户名'), 'advisor');
    await user.type(screen.getByLabelText('密码'), 'x');
    await user.click(screen.getByRole('button', { name: '登录' }));
    expect((await screen.findByRole('alert')).textContent).toContain('无法连接服务器');
    configureHttp({ fetch: (async () => new Response(JSON.stringify({ error: 'invalid_login', message: 'wrong' }), { status: 401 })) as typeof fetch });
    await user.click(screen.getByRole('button', { name: '登录' }));
    await waitFor(() => expect((screen.getByRole('alert')).textContent).toContain('门店代码、用户名或密码不正确'));
    expect(await loadSession()).toBeNull();
  });
});

describe('quick user switch', () => {
  it('switches offline with the right PIN and keeps the previous user\'s records', async () => {
    await saveStaffList(await staffList());
    await saveSession(session());
    const mine = await createIntake({ id: ADV, name: '王芳' });
    const user = userEvent.setup();
    wrap(<StaffSwitcher />);
    await user.click(await screen.findByRole('button', { name: /李强/ }));
    await user.type(screen.getByLabelText(/PIN 码 · 李强/), '1111');
    await user.click(screen.getByRole('button', { name: '确认切换' }));
    expect((await screen.findByRole('alert')).textContent).toContain('PIN 码错误，还可尝试 4 次');
    await user.type(screen.getByLabelText(/PIN 码 · 李强/), '2345');
    await user.click(screen.getByRole('button', { name: '确认切换' }));
    await waitFor(async () => expect((await loadSession())?.staff.name).toBe('李强'));
    expect((screen.getByRole('status')).textContent).toContain('离线验证');
    expect(await getIntake(mine.id)).toBeTruthy();
    expect(await getDb().outbox.count()).toBe(1);
  });
});

describe('sync status on screen', () => {
  it('the badge counts unsynced intakes; settings warns before sign-out and keeps the records', async () => {
    await saveSession(session());
    await saveStaffList(await staffList());
    const a = await createIntake({ id: ADV, name: '王芳' });
    await createIntake({ id: ADV, name: '王芳' });
    wrap(
      <>
        <SyncBadge />
        <SettingsScreen />
      </>,
    );
    expect(await screen.findByRole('link', { name: /待同步 2/ })).toHaveProperty('hash', '#/settings');
    expect(await screen.findByText('本机有 2 条接车单尚未同步。清除浏览器数据会永久丢失它们！')).toBeTruthy();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: '退出本设备' }));
    expect((screen.getByRole('alertdialog')).textContent).toContain('本机还有 2 条记录未同步');
    await user.click(screen.getByRole('button', { name: '确认退出本设备' }));
    await waitFor(async () => expect(await loadSession()).toBeNull());
    expect(await getIntake(a.id)).toBeTruthy();
    expect(await getDb().outbox.count()).toBe(2);
  });

  it('the conflict banner shows both values and "keep mine" queues a patch on the server revision', async () => {
    const a = await createIntake({ id: ADV, name: '王芳' });
    await updateSection(a.id, 'customer', { name: '本机写的', salutation: '', mobile: '' });
    await getDb().outbox.clear();
    await getDb().conflicts.put({
      key: `${a.id}:customer`,
      intakeId: a.id,
      section: 'customer',
      mine: { name: '本机写的', salutation: '', mobile: '' },
      theirs: { name: '对方写的', salutation: '', mobile: '' },
      theirsRev: 3,
      at: new Date().toISOString(),
    });
    const user = userEvent.setup();
    wrap(<ConflictBanner intake={(await getIntake(a.id))!} />);
    expect(await screen.findByText('对方写的')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: '保留本机 · 客户信息' }));
    await waitFor(async () => expect(await getDb().conflicts.count()).toBe(0));
    const [e] = await getDb().outbox.toArray();
    expect(e?.mutation).toMatchObject({ op: 'patch', section: 'customer', baseRev: 3, value: { name: '本机写的' } });
  });
});
