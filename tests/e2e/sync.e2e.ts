/**
 * Two tablets of one dealership in real Chromium against the production build and the real
 * server: an intake made OFFLINE on tablet A (landscape) shows as unsynced on A's badge, goes up
 * by itself when A comes back online, and appears on tablet B (portrait) after B syncs.
 * Plus the device login and the quick user switch with a PIN on the settings screen (axe-checked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { goOffline, goOnline, login, runAxe, startE2E, tabletContext, waitForServiceWorker, type E2EEnv } from './harness';

let env: E2EEnv;
const appUrl = () => `${env.baseUrl}/index.html`;

beforeAll(async () => {
  env = await startE2E();
});
afterAll(async () => {
  await env?.close();
});

async function signedInTablet(orientation: 'landscape' | 'portrait') {
  const ctx = await tabletContext(env.browser, orientation);
  const page = await ctx.newPage();
  await page.goto(appUrl());
  expect(await login(page)).toBe(true);
  await page.getByRole('button', { name: /新建接车/ }).waitFor();
  return { ctx, page };
}

const badge = (page: Page) => page.getByRole('link', { name: /^同步状态/ });

describe('sync between two tablets', () => {
  it('an intake made offline on A appears on B after A goes online', async () => {
    expect(env.server.kind).toBe('product');
    const a = await signedInTablet('landscape');
    const b = await signedInTablet('portrait');
    await waitForServiceWorker(a.page);

    await goOffline(a.ctx);
    await a.page.getByRole('button', { name: /新建接车/ }).tap();
    await a.page.waitForURL(/#\/intake\/[^/]+\/customer/);
    const plate = (p: Page) => p.getByLabel(/车牌号/).first();
    await plate(a.page).tap();
    await plate(a.page).pressSequentially('京A9E2E1');
    await a.page.getByText('已自动保存').first().waitFor();
    // Offline: the badge says so and counts the unsynced intake.
    await a.page.waitForFunction(() => {
      const el = document.querySelector('.sync-badge');
      return el?.getAttribute('data-pending') === '1' && el.getAttribute('data-state') === 'offline';
    });

    await goOnline(a.ctx);
    // The 'online' event starts a run by itself; nothing to tap.
    await a.page.waitForFunction(() => document.querySelector('.sync-badge')?.getAttribute('data-pending') === '0', undefined, { timeout: 30_000 });

    await b.page.goto(`${appUrl()}#/settings`);
    await b.page.getByRole('button', { name: '立即同步' }).tap();
    await b.page.getByText('本机所有记录都已同步到服务器。').waitFor();
    await b.page.goto(`${appUrl()}#/`);
    await b.page.getByText('京A9E2E1').first().waitFor({ timeout: 15_000 });
    expect(await badge(b.page).getAttribute('data-pending')).toBe('0');
    await a.ctx.close();
    await b.ctx.close();
  });
});

describe('device login and quick user switch', () => {
  it('logs in, switches to the technician with a PIN, and refuses a wrong PIN in words', async () => {
    const ctx = await tabletContext(env.browser, 'portrait');
    const page = await ctx.newPage();
    await page.goto(appUrl());
    await page.getByLabel('用户名').waitFor();
    const loginViolations = await runAxe(page, 'login');
    expect(loginViolations).toEqual([]);
    expect(await login(page)).toBe(true);

    await page.goto(`${appUrl()}#/settings`);
    await page.getByRole('heading', { name: '当前操作人员' }).waitFor();
    expect(await page.getByTestId('acting-staff').textContent()).toBe('王芳');
    expect(await runAxe(page, 'settings')).toEqual([]);

    await page.getByRole('button', { name: /李强/ }).tap();
    const pin = page.getByLabel(/PIN 码 · 李强/);
    await pin.tap();
    await pin.pressSequentially('9999');
    await page.getByRole('button', { name: '确认切换' }).tap();
    await page.getByText('PIN 码错误，还可尝试 4 次').waitFor();

    await pin.tap();
    await pin.pressSequentially('2345');
    await page.getByRole('button', { name: '确认切换' }).tap();
    await page.getByText('已切换为 李强').waitFor();
    expect(await page.getByTestId('acting-staff').textContent()).toBe('李强');
    // The header names the acting user too, and a reload keeps the switch (stored in IndexedDB).
    await page.reload();
    await page.getByTestId('acting-staff').waitFor();
    expect(await page.getByTestId('acting-staff').textContent()).toBe('李强');
    await ctx.close();
  });
});
