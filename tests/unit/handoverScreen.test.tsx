import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { putIntakeRecord } from '../../src/store/summaries';
import { I18nProvider } from '../../src/i18n/i18n';
import { SessionProvider, saveSession } from '../../src/store/session';
import { HandoverScreen } from '../../src/features/handover/HandoverScreen';
import { HandoverPrintScreen } from '../../src/features/handover/HandoverPrintScreen';
import { signHandover, signTechCheck, startHandover, startTechCheck, updateHandover, updateTechCheck } from '../../src/store/followUpWrites';
import { handoverHash } from '../../src/model/handover/schema';
import { techCheckHash } from '../../src/model/techCheck/schema';
import { finding, signature, signedIntake } from '../fixtures/followFixtures';

beforeEach(async () => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  await saveSession({ token: 'x', deviceId: 'd', dealership: { id: 'dl', name: '一汽大众北京店', slug: 'bj' }, staff: { id: 'adv-1', name: '李顾问', role: 'advisor' } });
});

function wrap(ui: React.ReactNode) {
  return render(
    <I18nProvider lang="zh-CN">
      <SessionProvider>{ui}</SessionProvider>
    </I18nProvider>,
  );
}

async function withSignedCheck() {
  const intake = signedIntake();
  await putIntakeRecord(getDb(), intake);
  const c = await startTechCheck(intake.id, { id: 'tech-1', name: '张师傅' });
  const edited = await updateTechCheck(c.id, (d) => ({
    ...d,
    reviews: { ...d.reviews, 'fi-door': { verdict: 'disputed', note: '门板无划痕', photos: [] } },
    newFindings: [finding({ id: 'tech-new', positionId: 'rf', itemId: 'rf-mirror', type: 'crack', foundAt: 'technician' })],
  }));
  await signTechCheck(c.id, techCheckHash(edited), { staffId: 'tech-1', name: '张师傅' });
  return intake;
}

describe('handover screen', () => {
  it('walks against intake and the technician check, runs the checklist, and gates the customer signature on readiness', async () => {
    const user = userEvent.setup();
    const intake = await withSignedCheck();
    wrap(<HandoverScreen id={intake.id} />);
    expect(await screen.findByText(/技师验收：异议 1 项，新损伤 1 处/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: '开始交车环检' }));

    // Walk the six positions by their tabs (as a person would), marking each one checked.
    const goTo = async (label: string) => {
      const name = new RegExp(`^${label}(（已核对）)?$`);
      await user.click(await screen.findByRole('button', { name }));
      await screen.findByRole('button', { name, pressed: true });
    };
    const markChecked = async () => {
      await user.click(screen.getByRole('button', { name: '本方位核对完毕' }));
    };
    await goTo('左前');
    // the disputed door scratch, intake photo beside the (empty) handover photos
    await user.click(await screen.findByRole('button', { name: '损伤 1 无变化' }));
    expect(screen.getByText(/技师有异议: 门板无划痕/)).toBeTruthy();
    await markChecked();
    await goTo('车头');
    await markChecked();
    await goTo('右前');
    await user.click(await screen.findByRole('button', { name: '损伤 3 无变化' })); // the technician's mirror crack
    await markChecked();
    await goTo('右后');
    await markChecked();
    await goTo('车尾');
    await user.click(await screen.findByRole('button', { name: '损伤 2 有变化' }));
    await user.type(screen.getByLabelText('变化说明（必填）'), '凹陷旁新增划痕');
    await markChecked();
    await goTo('左后');
    await markChecked();

    const ask = screen.getByRole('button', { name: '请顾客签字' }) as HTMLButtonElement;
    expect(ask.disabled).toBe(true);
    expect(screen.getByText('请当面取下三件套')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: /手机\/电子设备（黑色手机） 已归还/ }));
    await user.click(screen.getByLabelText(/已当面取下三件套/));
    await user.click(screen.getByLabelText('行驶证已归还'));
    await user.click(screen.getByLabelText('保养手册已归还'));
    const keys = screen.getByLabelText(/归还钥匙数量/);
    await user.clear(keys);
    await user.type(keys, '2');
    await user.click(screen.getByLabelText(/已向顾客展示更换下的旧件/));
    await user.click(screen.getByLabelText(/更换前刹车片/));
    await user.type(screen.getByLabelText('下次保养日期'), '2026-07-01');
    await user.type(screen.getByLabelText('下次保养里程（公里）'), '47000');
    await user.type(screen.getByLabelText('方便回访的日期'), '2026-01-06');
    await user.click(screen.getByRole('button', { name: '下午' }));

    await waitFor(() => expect([...document.querySelectorAll('.follow-issues li')].map((li) => li.textContent)).toEqual([]), { timeout: 5000 });
    expect(screen.getByText(/交车内容已完整/)).toBeTruthy();
    // three differences: disputed door, technician's mirror crack, changed bumper
    const diff = screen.getByRole('table', { name: '与接车记录的差异' });
    expect(within(diff).getAllByRole('row')).toHaveLength(4);
    expect(within(diff).getByText('技师验收时发现')).toBeTruthy();
    expect(within(diff).getByText('交车时有变化')).toBeTruthy();
    expect((screen.getByRole('button', { name: '请顾客签字' }) as HTMLButtonElement).disabled).toBe(false);

    await waitFor(async () => {
      const [h] = await getDb().handovers.toArray();
      expect(h?.followUp).toMatchObject({ date: '2026-01-06', slot: 'afternoon' });
      expect(h?.valuablesReturned).toEqual({ phone: 'returned' });
      expect(h?.reviews['fi-bumper']).toMatchObject({ status: 'changed', note: '凹陷旁新增划痕' });
    });
    expect((await getDb().outbox.toArray()).filter((o) => o.op === 'handover')).toHaveLength(0); // a draft stays local
  }, 30_000);

  it('prints every difference of a signed handover, with the customer signature and fingerprints', async () => {
    const intake = await withSignedCheck();
    const h = await startHandover(intake.id, { id: 'adv-1', name: '李顾问' });
    const edited = await updateHandover(h.id, (d) => ({
      ...d,
      newFindings: [finding({ id: 'ho-new', positionId: 'f', itemId: 'f-hood', type: 'chip', foundAt: 'handover' })],
      valuablesReturned: { phone: 'missing' },
      documentsReturned: { registration: true, serviceBooklet: true, keys: 1 },
      followUp: { date: '2026-01-06', slot: 'morning', note: '' },
    }));
    const hash = handoverHash(edited);
    await signHandover(h.id, hash, [signature('customer', hash)]);
    wrap(<HandoverPrintScreen id={intake.id} />);
    const table = await screen.findByRole('table', { name: '与接车记录的差异' });
    expect(within(table).getByText('交车时发现')).toBeTruthy();
    expect(within(table).getByText('技师有异议')).toBeTruthy();
    expect(screen.getByText(/保管物品缺失：手机\/电子设备（黑色手机）/)).toBeTruthy();
    expect(screen.getByText('钥匙少归还：收到 2 把，归还 1 把')).toBeTruthy();
    expect(screen.getByText(new RegExp(`交车签字 .* 指纹 ${hash.slice(0, 16)}`))).toBeTruthy();
    expect(screen.getByRole('img', { name: /顾客签名 王先生/ })).toBeTruthy();
    expect(screen.queryByText('草稿：交车尚未签字')).toBeNull();
  });
});
