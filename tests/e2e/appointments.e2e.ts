/**
 * Appointments (预约) in real Chromium against the production build and the real server: the
 * DMS posts two of today's appointments through the API; after one sync the tablet shows them on
 * 今日预约 by time and keeps working OFFLINE (reloaded from the service worker): one tap on an
 * arrival opens an intake already filled from the appointment, the appointment shows arrived,
 * the other is marked no-show. Back online, the server has the intake, the arrival and the link.
 * Then an advisor books one on the tablet in portrait with the form (zod errors shown first) and
 * rebooks its hour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { goOffline, goOnline, login, runAxe, startE2E, tabletContext, waitForServiceWorker, type E2EEnv } from './harness';
import { DEMO_ADVISOR } from '../../src/server/demo';
import type { Appointment } from '../../src/model/appointment/schema';

let env: E2EEnv;
const appUrl = () => `${env.baseUrl}/index.html`;
// The tablets run in Asia/Shanghai (harness): "today" is that calendar day.
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
let token = '';

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const r = await fetch(env.baseUrl + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, body: (await r.json()) as T };
}

beforeAll(async () => {
  env = await startE2E();
  const login = await api<{ token: string }>('POST', '/api/auth/login', { dealership: DEMO_ADVISOR.dealership, username: DEMO_ADVISOR.username, password: DEMO_ADVISOR.password, deviceName: 'DMS' });
  expect(login.status).toBe(201);
  token = login.body.token;
});
afterAll(async () => {
  await env?.close();
});

async function syncNow(page: Page) {
  await page.goto(`${appUrl()}#/settings`);
  await page.getByRole('button', { name: '立即同步' }).tap();
  await page.getByText('本机所有记录都已同步到服务器。').waitFor({ timeout: 30_000 });
}

const cards = (page: Page) => page.getByTestId('appointment');

describe('今日预约', () => {
  it('an appointment posted through the API appears on the tablet and starts a prefilled intake in one tap, offline after the first sync', async () => {
    expect(env.server.kind).toBe('product');
    const posted = await api<{ appointment: Appointment }>('POST', '/api/appointments', {
      externalId: 'DMS-1',
      date: today,
      time: '15:00',
      customer: { name: '钱女士', mobile: '13900139000' },
      vehicle: { plate: '沪A12345', vin: '' },
      serviceType: 'maintenance',
      symptoms: '保养',
      durationMinutes: 60,
    });
    expect(posted.status).toBe(201);
    const early = await api<{ appointment: Appointment }>('POST', '/api/appointments', {
      externalId: 'DMS-2',
      date: today,
      time: '09:30',
      customer: { name: '孙先生', mobile: '13700137000' },
      vehicle: { plate: '京B54321', vin: '' },
      serviceType: 'repair',
      symptoms: '冷车启动异响',
    });
    expect(early.status).toBe(201);

    const ctx = await tabletContext(env.browser, 'landscape');
    const page = await ctx.newPage();
    await page.goto(appUrl());
    expect(await login(page)).toBe(true);
    await page.getByRole('button', { name: /新建接车/ }).waitFor();
    await waitForServiceWorker(page);
    await syncNow(page); // the first sync brings the day's appointments

    // From here on the tablet is offline, reloaded from the service worker's cache.
    await goOffline(ctx);
    await page.goto(`${appUrl()}#/`);
    await page.reload();
    await page.getByRole('link', { name: '今日预约' }).tap();
    await page.getByRole('heading', { name: '今日预约' }).waitFor();
    await cards(page).nth(1).waitFor();
    expect(await cards(page).count()).toBe(2);
    // by time: 09:30 before 15:00
    expect(await cards(page).nth(0).textContent()).toContain('孙先生');
    expect(await cards(page).nth(1).textContent()).toContain('钱女士');
    expect(await cards(page).nth(1).textContent()).toContain('随车文件'); // what to bring
    expect(await runAxe(page, 'appointments')).toEqual([]);

    await page.getByRole('button', { name: '钱女士（沪A12345）到店：开始接车' }).tap();
    await page.waitForURL(/#\/intake\/[^/]+\/customer/);
    const intakeId = /#\/intake\/([^/]+)\//.exec(page.url())?.[1] ?? '';
    expect(await page.getByLabel('客户姓名').inputValue()).toBe('钱女士');
    expect(await page.getByLabel('手机号').first().inputValue()).toBe('13900139000');
    expect(await page.getByLabel(/车牌号/).first().inputValue()).toBe('沪A12345');
    expect(await page.getByLabel('故障描述').inputValue()).toBe('保养');
    expect(await page.getByLabel('预约单号').inputValue()).toBe('DMS-1');

    await page.goto(`${appUrl()}#/appointments`);
    const qian = cards(page).filter({ hasText: '钱女士' });
    await qian.getByText('已到店').waitFor();
    await qian.getByRole('link', { name: '打开接车单' }).waitFor();
    expect(await qian.getByRole('button', { name: /到店/ }).count()).toBe(0); // no second intake
    const sun = cards(page).filter({ hasText: '孙先生' });
    await sun.getByRole('button', { name: '未到店' }).tap();
    await sun.getByText('未到店', { exact: true }).first().waitFor();
    await sun.getByRole('button', { name: '恢复预约' }).waitFor();

    // Back online: the intake, the arrival and the no-show reach the server.
    await goOnline(ctx);
    await syncNow(page);
    const day = await api<{ appointments: Appointment[] }>('GET', `/api/appointments?date=${today}`);
    expect(day.body.appointments.map((a) => [a.externalId, a.status])).toEqual([
      ['DMS-2', 'noShow'],
      ['DMS-1', 'arrived'],
    ]);
    expect(day.body.appointments[1]?.intakeId).toBe(intakeId);
    const intake = await api<{ intake: { customer: { name: string }; vehicle: { plate: string }; visit: { appointmentRef: string } } }>('GET', `/api/intakes/${intakeId}`);
    expect(intake.status).toBe(200);
    expect(intake.body.intake).toMatchObject({ customer: { name: '钱女士' }, vehicle: { plate: '沪A12345' }, visit: { appointmentRef: 'DMS-1' } });
    await ctx.close();
  });

  it('books an appointment on the tablet in portrait with the form', async () => {
    const ctx = await tabletContext(env.browser, 'portrait');
    const page = await ctx.newPage();
    await page.goto(appUrl());
    expect(await login(page)).toBe(true);
    await page.getByRole('button', { name: /新建接车/ }).waitFor();
    await page.goto(`${appUrl()}#/appointments`);
    await page.getByRole('link', { name: /新建预约/ }).tap();
    await page.getByRole('heading', { name: '新建预约' }).waitFor();
    // Saving an empty booking shows the schema's errors, in Chinese, and saves nothing.
    await page.getByRole('button', { name: '保存预约' }).tap();
    await page.getByText('必填').first().waitFor();
    await page.getByText('请填写车牌号或 VIN').waitFor();
    expect(await runAxe(page, 'appointment form')).toEqual([]);
    await page.getByLabel('时间').fill('10:30');
    await page.getByLabel('客户姓名').tap();
    await page.getByLabel('客户姓名').pressSequentially('周先生');
    await page.getByLabel('手机号').pressSequentially('13600136000');
    await page.getByLabel('车牌号').pressSequentially('苏E66666');
    await page.getByRole('button', { name: '轮胎' }).tap();
    await page.getByLabel('故障描述（客户原话）').pressSequentially('右前轮胎鼓包');
    await page.getByLabel('防盗螺栓钥匙').uncheck();
    await page.getByRole('button', { name: '保存预约' }).tap();
    await page.waitForURL(/#\/appointments$/);
    const card = cards(page).filter({ hasText: '周先生' });
    await card.waitFor();
    expect(await card.textContent()).toContain('10:30');
    expect(await card.textContent()).toContain('轮胎');
    expect(await card.textContent()).not.toContain('防盗螺栓钥匙');
    // The customer cannot keep 10:30: rebook the hour on the same record.
    await card.getByRole('link', { name: '修改 周先生 的预约' }).tap();
    await page.getByRole('heading', { name: '修改预约' }).waitFor();
    expect(await page.getByLabel('客户姓名').inputValue()).toBe('周先生');
    await page.getByLabel('时间').fill('11:30');
    await page.getByRole('button', { name: '保存预约' }).tap();
    await page.waitForURL(/#\/appointments$/);
    await cards(page).filter({ hasText: '周先生' }).getByText('11:30').waitFor();
    expect(await cards(page).filter({ hasText: '周先生' }).count()).toBe(1);
    await syncNow(page);
    const day = await api<{ appointments: Appointment[] }>('GET', `/api/appointments?date=${today}`);
    expect(day.body.appointments.find((a) => a.customer.name === '周先生')).toMatchObject({ source: 'tablet', time: '11:30', serviceType: 'tyres', vehicle: { plate: '苏E66666' }, symptoms: '右前轮胎鼓包' });
    await ctx.close();
  });
});
