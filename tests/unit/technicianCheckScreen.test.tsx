import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { putIntakeRecord } from '../../src/store/summaries';
import { I18nProvider } from '../../src/i18n/i18n';
import { SessionProvider, saveSession } from '../../src/store/session';
import { TechnicianCheckScreen } from '../../src/features/technician/TechnicianCheckScreen';
import { TechnicianQueueScreen, technicianQueue } from '../../src/features/technician/TechnicianQueueScreen';
import { FollowUpBanner } from '../../src/features/technician/FollowUpBanner';
import { summaryOf } from '../../src/store/summaries';
import { signedIntake } from '../fixtures/followFixtures';
import { newIntake } from '../../src/model/intake/newIntake';

const pinCalls: [string, string][] = [];
vi.mock('../../src/features/technician/verifyPin', () => ({
  verifyPin: async (staffId: string, pin: string) => {
    pinCalls.push([staffId, pin]);
    return pin === '2468';
  },
}));

beforeEach(async () => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  pinCalls.length = 0;
  await saveSession({ token: 'x', deviceId: 'd', dealership: { id: 'dl', name: '一汽大众北京店', slug: 'bj' }, staff: { id: 'tech-1', name: '张师傅', role: 'technician' } });
});

function wrap(ui: React.ReactNode) {
  return render(
    <I18nProvider lang="zh-CN">
      <SessionProvider>{ui}</SessionProvider>
    </I18nProvider>,
  );
}

describe('technician queue', () => {
  it('lists signed intakes only, newest signed first, searchable by plate', () => {
    const a = summaryOf(signedIntake((i) => (i.vehicle.plate = '京A12345')));
    const b = { ...summaryOf(signedIntake((i) => (i.vehicle.plate = '沪B-67890'))), signedAt: '2026-02-01T00:00:00.000Z' };
    const draft = summaryOf(newIntake({ advisor: { id: 'a', name: 'a' } }));
    expect(technicianQueue([a, b, draft], '').map((r) => r.plate)).toEqual(['沪B-67890', '京A12345']);
    expect(technicianQueue([a, b, draft], 'b67').map((r) => r.plate)).toEqual(['沪B-67890']);
    expect(technicianQueue([a, b, draft], '京a 123').map((r) => r.plate)).toEqual(['京A12345']);
  });

  it('renders links to each check', async () => {
    const intake = signedIntake();
    await putIntakeRecord(getDb(), intake);
    wrap(<TechnicianQueueScreen />);
    const link = await screen.findByRole('link', { name: /打开验收 京A12345/ });
    expect(link.getAttribute('href')).toBe(`#/technician/${intake.id}`);
  });
});

describe('English', () => {
  it('speaks English when chosen, same screens', async () => {
    const intake = signedIntake();
    await putIntakeRecord(getDb(), intake);
    render(
      <I18nProvider lang="en">
        <SessionProvider>
          <TechnicianCheckScreen id={intake.id} />
        </SessionProvider>
      </I18nProvider>,
    );
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Start check' }));
    expect(await screen.findByRole('button', { name: 'Confirm damage 1' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'This position is checked' })).toBeTruthy();
    expect(screen.getByText('Customer said: 刹车异响')).toBeTruthy();
  });
});

describe('technician check screen', () => {
  it('walks six positions, disputes one finding, signs off with PIN; the advisor sees the dispute', async () => {
    const user = userEvent.setup();
    const intake = signedIntake();
    await putIntakeRecord(getDb(), intake);
    wrap(<TechnicianCheckScreen id={intake.id} />);
    await user.click(await screen.findByRole('button', { name: '开始验收' }));
    // Left front: confirm the door scratch (finding 1)
    await user.click(await screen.findByRole('button', { name: '确认损伤 1' }));
    await user.click(screen.getByRole('button', { name: '本方位核对完毕' }));
    // front, right front, right rear: nothing recorded
    for (let i = 0; i < 3; i++) {
      await screen.findByText('接车时本方位无损伤记录');
      await user.click(screen.getByRole('button', { name: '本方位核对完毕' }));
    }
    // rear: dispute the bumper dent (finding 2) with a reason
    await user.click(await screen.findByRole('button', { name: '对损伤 2 有异议' }));
    await user.type(screen.getByLabelText('异议说明（必填）'), '保险杠无凹陷');
    await user.click(screen.getByRole('button', { name: '本方位核对完毕' }));
    await user.click(await screen.findByRole('button', { name: '本方位核对完毕' })); // left rear
    await user.click(screen.getByRole('button', { name: '故障已确认' }));
    expect(await screen.findByText(/已全部核对，可以签字/)).toBeTruthy();
    expect(screen.getByText('异议 1 项')).toBeTruthy();

    await user.type(screen.getByLabelText('PIN 码'), '1111');
    await user.click(screen.getByRole('button', { name: '签字确认' }));
    expect(await screen.findByText('PIN 码不正确')).toBeTruthy();
    expect((await getDb().techChecks.toArray())[0]?.status).toBe('draft');

    await user.clear(screen.getByLabelText('PIN 码'));
    await user.type(screen.getByLabelText('PIN 码'), '2468');
    await user.click(screen.getByRole('button', { name: '签字确认' }));
    await waitFor(async () => expect((await getDb().techChecks.toArray())[0]?.status).toBe('signed'));
    expect(pinCalls.at(-1)).toEqual(['tech-1', '2468']);
    const [check] = await getDb().techChecks.toArray();
    expect(check?.reviews['fi-bumper']).toMatchObject({ verdict: 'disputed', note: '保险杠无凹陷' });
    expect(check?.reviews['fi-door']?.verdict).toBe('confirmed');
    // The draft went through the outbox too (every autosave coalesced into one entry), then the sign-off.
    expect((await getDb().outbox.toArray()).map((o) => o.op)).toEqual(['techCheckDraft', 'techCheck']);
    expect(await screen.findByText('已签字，内容不可更改')).toBeTruthy();
    // frozen: the verdict buttons are disabled now
    expect((screen.getAllByRole('button', { name: /确认损伤|有异议/ }) as HTMLButtonElement[]).every((b) => b.disabled)).toBe(true);

    // The advisor's banner on the intake
    wrap(<FollowUpBanner intake={intake} />);
    const banner = await screen.findByRole('alert', { name: '技师验收' });
    expect(within(banner).getByText('技师对 1 项接车损伤有异议')).toBeTruthy();
  });

  it('autosaves the complaint verdict and the notes as they are typed, also when the screen closes at once', async () => {
    const user = userEvent.setup();
    const intake = signedIntake();
    await putIntakeRecord(getDb(), intake);
    const view = wrap(<TechnicianCheckScreen id={intake.id} />);
    await user.click(await screen.findByRole('button', { name: '开始验收' }));
    await user.click(await screen.findByRole('button', { name: '未能复现' }));
    await user.click(screen.getByLabelText('已路试'));
    await user.type(screen.getByLabelText('检查说明'), '路试 10 公里未见异响');
    expect(screen.queryByRole('button', { name: /保存/ })).toBeNull();
    expect(await screen.findByText('已自动保存')).toBeTruthy();
    expect((await getDb().techChecks.toArray())[0]?.complaint).toEqual({ verdict: 'notReproduced', roadTest: true, note: '路试 10 公里未见异响' });
    // Typed, then the screen is left before the autosave delay: the unmount writes it.
    await user.type(screen.getByLabelText('其他说明'), '建议更换雨刮');
    view.unmount();
    await waitFor(async () => expect((await getDb().techChecks.toArray())[0]?.note).toBe('建议更换雨刮'));
  });

  it('refuses to check an unsigned intake', async () => {
    const draft = newIntake({ advisor: { id: 'a', name: 'a' } });
    await putIntakeRecord(getDb(), draft);
    wrap(<TechnicianCheckScreen id={draft.id} />);
    expect(await screen.findByText('该接车单尚未签字，不能验收。')).toBeTruthy();
  });
});
