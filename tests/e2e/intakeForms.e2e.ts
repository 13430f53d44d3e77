/**
 * The intake forms in real Chromium against the PRODUCTION build, on a tablet with touch and
 * with the network OFF from the moment the intake is created: customer & vehicle (as-you-type
 * errors, VIN check-digit warning, fuel gauge), valuables, cabin (consent, issue, all-OK, the
 * visit's odometer shown again), and the work step (recommendation from a cabin issue, declined
 * safety flag, totals, arrangements). A reload (still offline, from the service worker) shows
 * every value again. axe-core finds no serious or critical violation on any step, in landscape
 * and portrait, and nothing scrolls sideways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { goOffline, login, runAxe, startE2E, tabletContext, waitForServiceWorker, type E2EEnv, type Orientation } from './harness';

let env: E2EEnv;

beforeAll(async () => {
  env = await startE2E();
});

afterAll(async () => {
  await env?.close();
});

const appUrl = () => `${env.baseUrl}/index.html`;
// A VIN whose check digit (9th character) is correct, and the same VIN with a wrong one.
const VIN_OK = '1M8GDM9AXKP042788';
const VIN_BAD = '1M8GDM9A1KP042788';

/** Until the login screen lands, a device session is written into the app's kv store. */
async function seedSessionIfNoLogin(page: Page): Promise<void> {
  const newIntake = page.getByRole('button', { name: /新建接车/ });
  try {
    await newIntake.waitFor({ timeout: 5_000 });
    return;
  } catch {
    /* no session: seed one */
  }
  await page.evaluate(
    () =>
      new Promise<void>((ok, fail) => {
        const req = indexedDB.open('walkaround');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction('kv', 'readwrite');
          tx.objectStore('kv').put({
            key: 'session',
            value: { token: 'e2e', deviceId: 'e2e-forms', dealership: { id: 'd1', name: '示范4S店', slug: 'demo' }, staff: { id: 'advisor-forms', name: '王芳', role: 'advisor' } },
          });
          tx.oncomplete = () => {
            db.close();
            ok();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
  );
  await page.reload();
  await newIntake.waitFor();
}

async function newIntakeOffline(orientation: Orientation) {
  const ctx = await tabletContext(env.browser, orientation);
  const page = await ctx.newPage();
  await page.goto(appUrl());
  await login(page);
  await seedSessionIfNoLogin(page);
  await waitForServiceWorker(page);
  await page.getByRole('button', { name: /新建接车/ }).waitFor();
  await goOffline(ctx);
  await page.getByRole('button', { name: /新建接车/ }).tap();
  await page.waitForURL(/#\/intake\/[^/]+\/customer/);
  const id = /#\/intake\/([^/]+)\//.exec(page.url())![1]!;
  return { ctx, page, id };
}

async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

/** Tap a field, then type like the on-screen keyboard does. */
async function typeInto(page: Page, label: RegExp | string, text: string) {
  const field = page.getByLabel(label).first();
  await field.tap();
  await field.pressSequentially(text);
}

async function goStep(page: Page, id: string, step: string) {
  await page.goto(`${appUrl()}#/intake/${id}/${step}`);
}

describe('intake forms on a tablet, offline', () => {
  it('fills customer & vehicle, valuables, cabin and work with touch; a reload shows everything', async () => {
    const { ctx, page, id } = await newIntakeOffline('landscape');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    // 1. Customer & vehicle.
    await typeInto(page, /客户姓名/, '王小明');
    await typeInto(page, /手机号/, '1380013');
    await page.getByText('手机号格式不正确（11 位，或以 + 开头的国际号码）').waitFor();
    await typeInto(page, /手机号/, '8000');
    await expect.poll(() => page.getByText(/手机号格式不正确/).count()).toBe(0);
    await typeInto(page, /车牌号/, '京a12345');
    expect(await page.getByLabel(/车牌号/).inputValue()).toBe('京A12345');
    await page.getByText('普通车牌（7位）').waitFor();
    await typeInto(page, /VIN/, VIN_BAD.toLowerCase());
    await page.getByText(/VIN 校验位不符/).waitFor();
    await page.getByLabel(/VIN/).fill('');
    await typeInto(page, /VIN/, VIN_OK);
    await expect.poll(() => page.getByText(/VIN 校验位不符/).count()).toBe(0);
    await typeInto(page, /品牌/, '大众');
    await typeInto(page, /车型/, '迈腾');
    await typeInto(page, /年款/, '2021');
    await typeInto(page, /行驶里程/, '45230');
    await page.getByRole('button', { name: '3/8' }).tap();
    await typeInto(page, /故障描述/, '冷车启动异响');
    await page.getByRole('button', { name: '间歇出现' }).tap();
    await page.getByText('已自动保存').waitFor();
    // Touch targets of the segmented controls are at least 44 px.
    const seg = (await page.getByRole('button', { name: '3/8' }).boundingBox())!;
    expect(Math.min(seg.width, seg.height)).toBeGreaterThanOrEqual(44);
    expect(await runAxe(page, 'customer step')).toEqual([]);
    await expectNoSidewaysScroll(page);

    // 2. Three-piece set and valuables.
    await page.getByRole('link', { name: /三件套与贵重物品 →/ }).tap();
    await page.getByLabel('座椅套').tap();
    await page.getByLabel('方向盘套').tap();
    await page.getByLabel('脚垫').tap();
    await page.getByLabel('已提醒顾客取走贵重物品').tap();
    const phone = page.getByTestId('valuable-phone');
    await phone.getByRole('button', { name: '交由保管' }).tap();
    await phone.getByText('留在车内或交由保管的物品必须填写描述').waitFor();
    await phone.getByLabel(/交由保管的物品描述/).tap();
    await phone.getByLabel(/交由保管的物品描述/).pressSequentially('华为手机 1 部');
    await page.getByRole('button', { name: '其余全部已取走' }).tap();
    await page.getByText('留在车内 0 项 · 交由保管 1 项 · 未确认 0 项').waitFor();
    expect(await runAxe(page, 'valuables step')).toEqual([]);

    // 3. Cabin: the odometer typed on step 1 is the same visit value here.
    await page.getByRole('link', { name: /车内检查 →/ }).tap();
    expect(await page.getByLabel(/行驶里程/).inputValue()).toBe('45230');
    expect(await page.getByRole('button', { name: '3/8' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('已征得顾客同意检查车内').tap();
    const ac = page.getByTestId('cabin-ac');
    await ac.getByRole('button', { name: '有问题' }).tap();
    await ac.getByLabel('空调：问题说明').tap();
    await ac.getByLabel('空调：问题说明').pressSequentially('不制冷');
    await page.getByRole('button', { name: '其余全部正常' }).tap();
    await page.getByText(/已检 10\/10 项 · 有问题 1 项/).waitFor();
    expect(await runAxe(page, 'cabin step')).toEqual([]);

    // 4. Work (the walk-around step in between is another engineer's; go straight there).
    await goStep(page, id, 'work');
    await page.getByRole('button', { name: '建议维修：车内 · 空调' }).tap();
    const rec = page.getByTestId('rec-1');
    await rec.getByLabel('涉及行车安全').tap();
    await rec.getByLabel('工时费（元）').tap();
    await rec.getByLabel('工时费（元）').pressSequentially('-1');
    await rec.getByText('金额不能为负数').waitFor();
    await rec.getByLabel('工时费（元）').fill('');
    await rec.getByLabel('工时费（元）').pressSequentially('180');
    await rec.getByLabel('备品费（元）').tap();
    await rec.getByLabel('备品费（元）').pressSequentially('320.5');
    await rec.getByRole('button', { name: '暂不维修' }).tap();
    await rec.getByText(/需顾客签字确认/).waitFor();
    await rec.getByRole('button', { name: '本次维修' }).tap();
    await page.getByRole('button', { name: '添加增项' }).tap();
    const svc = page.getByTestId('service-1');
    await svc.getByLabel(/服务项目/).tap();
    await svc.getByLabel(/服务项目/).pressSequentially('四轮定位');
    await svc.getByLabel('工时费（元）').tap();
    await svc.getByLabel('工时费（元）').pressSequentially('200');
    expect(await page.getByTestId('total-all').textContent()).toBe('¥700.50');
    await page.getByLabel(/预计交车时间/).fill('2999-12-01T17:30');
    await page.getByRole('button', { name: '微信' }).tap();
    await page.getByRole('button', { name: '旧件不带走' }).tap();
    await page.getByRole('group', { name: '免费洗车' }).getByRole('button', { name: '是' }).tap();
    await page.getByLabel('行驶证').tap();
    await page.getByRole('button', { name: '钥匙增加一把' }).tap();
    await page.getByRole('button', { name: '钥匙增加一把' }).tap();
    await page.getByText('已自动保存').waitFor();
    expect(await runAxe(page, 'work step')).toEqual([]);
    await expectNoSidewaysScroll(page);

    // Reload while offline: the service worker serves the app, IndexedDB the record.
    await page.reload();
    await goStep(page, id, 'customer');
    await page.getByLabel(/客户姓名/).waitFor();
    expect(await page.getByLabel(/客户姓名/).inputValue()).toBe('王小明');
    expect(await page.getByLabel(/手机号/).inputValue()).toBe('13800138000');
    expect(await page.getByLabel(/VIN/).inputValue()).toBe(VIN_OK);
    expect(await page.getByLabel(/故障描述/).inputValue()).toBe('冷车启动异响');
    await goStep(page, id, 'valuables');
    expect(await page.getByTestId('valuable-phone').getByLabel(/交由保管的物品描述/).inputValue()).toBe('华为手机 1 部');
    expect(await page.getByLabel('脚垫').isChecked()).toBe(true);
    await goStep(page, id, 'cabin');
    expect(await page.getByTestId('cabin-ac').getByLabel('空调：问题说明').inputValue()).toBe('不制冷');
    await goStep(page, id, 'work');
    expect(await page.getByTestId('rec-1').getByLabel('备品费（元）').inputValue()).toBe('320.5');
    expect(await page.getByTestId('keys-count').textContent()).toBe('2');
    expect(await page.getByRole('button', { name: '微信' }).getAttribute('aria-pressed')).toBe('true');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('every form step fits portrait 820×1180 without sideways scrolling and passes axe', async () => {
    const { ctx, page, id } = await newIntakeOffline('portrait');
    for (const step of ['customer', 'valuables', 'cabin', 'work']) {
      await goStep(page, id, step);
      await page.getByTestId(`${step === 'customer' ? 'customer-vehicle' : step}-step`).waitFor();
      await expectNoSidewaysScroll(page);
      expect(await runAxe(page, `${step} portrait`)).toEqual([]);
    }
    // The fuel gauge's nine segments stay touch-sized in portrait.
    await goStep(page, id, 'customer');
    for (const name of ['空（0/8）', '满（8/8）']) {
      const b = (await page.getByRole('button', { name }).boundingBox())!;
      expect(Math.min(b.width, b.height)).toBeGreaterThanOrEqual(44);
    }
    await ctx.close();
  });
});
