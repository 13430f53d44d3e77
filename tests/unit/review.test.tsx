// The review step: readiness gaps as translated links to their step, the hand-to-customer button
// only when ready, the summary, and the signed state with amendments.
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake, signIntake, updateSection } from '../../src/store/intakeWrites';
import { useIntake } from '../../src/store/queries';
import { contentHash } from '../../src/model/intake/signedContent';
import { readinessIssues } from '../../src/model/intake/readiness';
import { I18nProvider } from '../../src/i18n/i18n';
import type { Lang } from '../../src/i18n/defineMessages';
import { SessionProvider } from '../../src/store/session';
import { ReviewStep, stepOfIssue } from '../../src/features/review/ReviewStep';
import { hashGroups } from '../../src/features/review/format';
import { createReadyIntake, fakeSignature, SESSION, withSession } from './reviewFixtures';
import { occurrences, spokenText } from './spokenText';

function Host({ id }: { id: string }) {
  const intake = useIntake(id);
  return intake ? <ReviewStep intake={intake} /> : null;
}

function renderReview(id: string, lang: Lang = 'zh-CN') {
  return render(
    <I18nProvider lang={lang}>
      <SessionProvider>
        <Host id={id} />
      </SessionProvider>
    </I18nProvider>,
  );
}

beforeEach(async () => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  await withSession();
});

describe('review readiness', () => {
  it('lists every gap of a new intake as a link to the step that has it; signing mode stays closed', async () => {
    const intake = await createIntake({ id: 'adv-1', name: '李顾问' });
    renderReview(intake.id);
    const list = await screen.findByRole('list', { name: '尚未完成的项目' });
    const links = within(list).getAllByRole('link');
    expect(links).toHaveLength(readinessIssues(intake).length);
    expect(within(list).getByRole('link', { name: '未填写行驶里程' }).getAttribute('href')).toBe(`#/intake/${intake.id}/customer`);
    expect(within(list).getByRole('link', { name: /^环车方位“左前”未完成检查/ }).getAttribute('href')).toBe(`#/intake/${intake.id}/walkaround/lf`);
    expect(within(list).getByRole('link', { name: '贵重物品“儿童座椅”未确认去向' }).getAttribute('href')).toBe(`#/intake/${intake.id}/valuables`);
    expect(within(list).getByRole('link', { name: '未登记收到的钥匙（至少 1 把）' }).getAttribute('href')).toBe(`#/intake/${intake.id}/work`);
    // Payment, old parts and free wash start from the dealership's defaults: no gap for them.
    expect(within(list).queryByRole('link', { name: '未选择付款方式' })).toBeNull();
    expect(screen.getByRole('heading', { name: `签字前还需完成 ${links.length} 项` })).toBeTruthy();
    expect((screen.getByRole('button', { name: /进入顾客签字模式/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('names the recommendation whose decision is missing, in English too', async () => {
    const intake = await createReadyIntake();
    await updateSection(intake.id, 'work', { ...intake.work, recommendations: intake.work.recommendations.map((r) => (r.id === 'r2' ? { ...r, decision: null } : r)) });
    renderReview(intake.id, 'en');
    const link = await screen.findByRole('link', { name: 'Recommendation "左前门补漆": customer decision missing' });
    expect(link.getAttribute('href')).toBe(`#/intake/${intake.id}/work`);
    expect(stepOfIssue({ section: 'visit', key: 'ready.fuel' })).toBe('customer');
  });

  it('a ready intake opens customer mode, and the summary shows what the customer signs for', async () => {
    const intake = await createReadyIntake();
    renderReview(intake.id);
    const go = await screen.findByRole('button', { name: /进入顾客签字模式/ });
    expect(screen.getByRole('heading', { name: '记录已完整，可以请顾客确认签字' })).toBeTruthy();
    expect((go as HTMLButtonElement).disabled).toBe(false);
    // kept items prominently, declined safety work, the estimate over accepted work only
    expect(within(screen.getByRole('group', { name: '留在车内 / 委托保管的物品' })).getByText(/后排儿童座椅一个/)).toBeTruthy();
    expect(within(screen.getByRole('group', { name: '顾客拒绝维修的安全相关项目' })).getByText('更换前刹车片')).toBeTruthy();
    expect(screen.getByText('¥300.00', { selector: 'strong' })).toBeTruthy();
    expect(screen.getByText('门把手下方划痕约 5 cm')).toBeTruthy();
    expect(screen.getByTestId('vehicle-diagram')).toBeTruthy();
    // each section can be edited from here
    expect(screen.getByRole('link', { name: '修改：车内检查' }).getAttribute('href')).toBe(`#/intake/${intake.id}/cabin`);
    fireEvent.click(go);
    expect(location.hash).toBe(`#/intake/${intake.id}/sign`);
  });
});

describe('review of a signed intake', () => {
  it('shows the signed state, the hash in groups, the signatures, and takes amendments (text required)', async () => {
    const intake = await createReadyIntake();
    const hash = contentHash(intake);
    await signIntake(intake.id, hash, [fakeSignature('customer', '王五', hash), fakeSignature('advisor', '李顾问', hash)]);
    renderReview(intake.id);
    expect(await screen.findByRole('heading', { name: '已签字' })).toBeTruthy();
    // read once: the visible label names it, the hidden text is the hash alone (not "label: hash" again)
    const facts = document.querySelector('.signed-facts')!;
    expect(occurrences(spokenText(facts), hash)).toBe(1);
    expect(occurrences(spokenText(facts), '内容指纹')).toBe(1);
    const groups = [...document.querySelectorAll('[data-hash] .hash-group')].map((g) => g.textContent);
    expect(groups).toEqual(hashGroups(hash));
    expect(groups).toHaveLength(8);
    expect(screen.getByRole('img', { name: '顾客: 王五 的签名' })).toBeTruthy();
    expect(screen.getByRole('img', { name: '服务顾问: 李顾问 的签名' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /进入顾客签字模式/ })).toBeNull();
    expect(screen.queryByRole('link', { name: /^修改/ })).toBeNull();
    expect(screen.getByRole('link', { name: '打印接车登记表' }).getAttribute('href')).toBe(`#/intake/${intake.id}/print`);

    fireEvent.click(screen.getByRole('button', { name: '添加补充说明' }));
    expect(await screen.findByText('请填写补充说明内容')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('补充说明内容'), { target: { value: '   ' } });
    fireEvent.click(screen.getByRole('button', { name: '添加补充说明' }));
    expect(await screen.findByText('请填写补充说明内容')).toBeTruthy();
    expect((await getIntake(intake.id))!.amendments).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('补充说明内容'), { target: { value: '顾客补充：后备箱内有工具箱一个' } });
    fireEvent.click(screen.getByRole('button', { name: '添加补充说明' }));
    expect(await screen.findByText('顾客补充：后备箱内有工具箱一个')).toBeTruthy();
    const stored = await getIntake(intake.id);
    expect(stored!.amendments).toHaveLength(1);
    expect(stored!.amendments[0]).toMatchObject({ refersTo: hash, by: { id: SESSION.staff.id, name: SESSION.staff.name } });
    await waitFor(() => expect(screen.getByText('补充说明已添加')).toBeTruthy());
    expect(contentHash(stored!)).toBe(hash);
  });
});
