// Signing, end to end over the real repository (fake-indexeddb): the signature binds the content
// hash that was shown, the record freezes, corrections are amendments referring to that hash,
// and customer mode keeps the customer in and needs the advisor's PIN to leave.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { addAmendment, getIntake, signIntake, updateSection } from '../../src/store/intakeWrites';
import { contentHash, signedContent } from '../../src/model/intake/signedContent';
import { sha256Hex } from '../../src/shared/sha256';
import { canonicalJson } from '../../src/shared/canonicalJson';
import { intakeSchema } from '../../src/model/intake/schema';
import { I18nProvider } from '../../src/i18n/i18n';
import { SessionProvider } from '../../src/store/session';
import { CustomerModeScreen, buildSignature } from '../../src/features/signature/CustomerModeScreen';
import { enterCustomerMode } from '../../src/features/signature/customerModeEntry';
import type { VerifyStaffPin } from '../../src/features/signature/staffPin';
import { createReadyIntake, fakeSignature, SESSION, withSession } from './reviewFixtures';
import { heldSignature, holdSignature } from '../../src/store/heldSignature';

beforeEach(async () => {
  sessionStorage.clear();
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  await withSession();
});

describe('signing over the repository', () => {
  it('signs: status signed, contentHash = SHA-256 of the canonical content, record then frozen', async () => {
    const intake = await createReadyIntake();
    const shown = contentHash(intake);
    const signed = await signIntake(intake.id, shown, [fakeSignature('customer', '王五', shown), fakeSignature('advisor', '李顾问', shown)]);
    expect(signed.status).toBe('signed');
    expect(signed.contentHash).toBe(shown);
    expect(signed.contentHash).toBe(sha256Hex(canonicalJson(signedContent(intake))));
    expect(intakeSchema.safeParse(signed).success).toBe(true);
    const stored = await getIntake(intake.id);
    expect(stored?.status).toBe('signed');
    expect(contentHash(stored!)).toBe(shown); // the stored content is still exactly what was signed
    await expect(updateSection(intake.id, 'complaint', { ...intake.complaint, symptom: '改了' })).rejects.toMatchObject({ code: 'record.frozen' });
    await expect(signIntake(intake.id, shown, signed.signatures)).rejects.toMatchObject({ code: 'record.frozen' });
  });

  it('refuses signatures bound to content that changed after it was shown', async () => {
    const intake = await createReadyIntake();
    const shown = contentHash(intake);
    await updateSection(intake.id, 'complaint', { ...intake.complaint, symptom: '热车也响' });
    await expect(signIntake(intake.id, shown, [fakeSignature('customer', '王五', shown)])).rejects.toMatchObject({ code: 'record.stale' });
    expect((await getIntake(intake.id))?.status).toBe('draft');
  });

  it('adds an amendment that refers to the signed hash, leaving the content unchanged', async () => {
    const intake = await createReadyIntake();
    const shown = contentHash(intake);
    await signIntake(intake.id, shown, [fakeSignature('customer', '王五', shown)]);
    const after = await addAmendment(intake.id, { id: 'adv-1', name: '李顾问' }, '补充：右后轮毂有旧伤');
    expect(after.amendments).toHaveLength(1);
    expect(after.amendments[0]).toMatchObject({ text: '补充：右后轮毂有旧伤', refersTo: shown, by: { id: 'adv-1' } });
    expect(contentHash(after)).toBe(shown);
  });

  it('buildSignature produces a schema-valid signature bound to the hash', () => {
    const pad = { strokes: fakeSignature('customer', 'x', 'a'.repeat(64)).strokes, width: 800, height: 400 };
    const sig = buildSignature('customer', '王五'.repeat(40), pad, 'b'.repeat(64), new Date('2026-11-24T09:00:00Z'));
    expect(sig).toMatchObject({ role: 'customer', contentHash: 'b'.repeat(64), signedAt: '2026-11-24T09:00:00.000Z', width: 800 });
    expect(sig.name.length).toBe(60);
  });
});

function renderCustomerMode(id: string, verifyPin: VerifyStaffPin = vi.fn(async () => false)) {
  location.hash = `#/intake/${id}/sign`;
  render(
    <I18nProvider lang="zh-CN">
      <SessionProvider>
        <CustomerModeScreen id={id} verifyPin={verifyPin} />
      </SessionProvider>
    </I18nProvider>,
  );
  return verifyPin;
}

describe('customer mode', () => {
  it('shows the summary without edit links, and signing waits for every declined safety item to be confirmed', async () => {
    const intake = await createReadyIntake();
    renderCustomerMode(intake.id);
    expect(await screen.findByText('请核对接车内容')).toBeTruthy();
    expect(screen.queryByRole('link', { name: /修改/ })).toBeNull();
    expect(screen.getAllByText(/后排儿童座椅一个/).length).toBeGreaterThan(0);
    const sign = screen.getByRole('button', { name: '确认无误，签字' }) as HTMLButtonElement;
    expect(sign.disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: /更换前刹车片.*我已知悉风险并拒绝维修/ }));
    expect(sign.disabled).toBe(false);
    fireEvent.click(sign);
    expect(await screen.findByRole('dialog', { name: '顾客签字' })).toBeTruthy();
    // an empty signature is refused on the stroke data
    fireEvent.click(screen.getByRole('button', { name: '确认签名' }));
    expect(screen.getByText('请先签名')).toBeTruthy();
    expect(screen.queryByRole('dialog', { name: '服务顾问签字' })).toBeNull();
  });

  it('goes back to the summary when the record changes while the customer signs', async () => {
    const intake = await createReadyIntake();
    renderCustomerMode(intake.id);
    fireEvent.click(await screen.findByRole('checkbox', { name: /更换前刹车片/ }));
    fireEvent.click(screen.getByRole('button', { name: '确认无误，签字' }));
    await screen.findByRole('dialog', { name: '顾客签字' });
    await act(async () => {
      await updateSection(intake.id, 'complaint', { ...intake.complaint, symptom: '另一台平板改了描述' });
    });
    expect(await screen.findByText('记录内容在签字前有更新，请重新核对后再签字。')).toBeTruthy();
    expect(screen.queryByRole('dialog', { name: '顾客签字' })).toBeNull();
    expect(screen.getAllByText('另一台平板改了描述').length).toBeGreaterThan(0);
  });

  it('a customer signature kept from before a reload (same content) opens the advisor pad directly', async () => {
    const intake = await createReadyIntake();
    const hash = contentHash(intake);
    const kept = { ...fakeSignature('customer', '王五', hash), signedAt: '2026-11-24T08:30:00.000Z' };
    await holdSignature(intake.id, kept);
    renderCustomerMode(intake.id);
    expect(await screen.findByRole('dialog', { name: '服务顾问签字' })).toBeTruthy();
    expect(screen.queryByRole('dialog', { name: '顾客签字' })).toBeNull();
    expect(await heldSignature(intake.id)).toEqual(kept);
  });

  it('a kept customer signature over content that changed since is dropped, with a notice', async () => {
    const intake = await createReadyIntake();
    await holdSignature(intake.id, fakeSignature('customer', '王五', contentHash(intake)));
    await updateSection(intake.id, 'complaint', { ...intake.complaint, symptom: '顾问后来补充的描述' });
    renderCustomerMode(intake.id);
    expect(await screen.findByText(/原签字已作废/)).toBeTruthy();
    expect(screen.queryByRole('dialog', { name: '服务顾问签字' })).toBeNull();
    await waitFor(async () => expect(await heldSignature(intake.id)).toBeNull());
  });

  it('stays on the sign route when something else is navigated to, and leaves only with the advisor PIN', async () => {
    const intake = await createReadyIntake();
    const verify = vi.fn(async (_staff: string, pin: string) => pin === '2468');
    renderCustomerMode(intake.id, verify);
    await screen.findByText('请核对接车内容');
    const here = `#/intake/${intake.id}/sign`;
    act(() => {
      location.hash = '#/';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(location.hash).toBe(here);

    fireEvent.click(screen.getAllByRole('button', { name: '交还顾问' })[0]!);
    const pin = await screen.findByLabelText('PIN 码');
    fireEvent.change(pin, { target: { value: '1111' } });
    fireEvent.click(screen.getByRole('button', { name: '确认' }));
    expect(await screen.findByText('PIN 码不正确')).toBeTruthy();
    expect(verify).toHaveBeenLastCalledWith(SESSION.staff.id, '1111');
    expect(location.hash).toBe(here);

    fireEvent.change(pin, { target: { value: '2468' } });
    fireEvent.click(screen.getByRole('button', { name: '确认' }));
    await waitFor(() => expect(location.hash).toBe(`#/intake/${intake.id}/review`));

    // A stale customer-mode entry reached by "back" after the hand-back does not lock again …
    cleanup();
    renderCustomerMode(intake.id, verify);
    await waitFor(() => expect(location.hash).toBe(`#/intake/${intake.id}/review`));
    expect(screen.queryByText('请核对接车内容')).toBeNull();
    // … while the advisor's own "hand to customer" opens it afresh.
    cleanup();
    enterCustomerMode(intake.id);
    renderCustomerMode(intake.id, verify);
    expect(await screen.findByText('请核对接车内容')).toBeTruthy();
  });

  it('a signed record shows the signed state and the hand-back button', async () => {
    const intake = await createReadyIntake();
    const shown = contentHash(intake);
    await signIntake(intake.id, shown, [fakeSignature('customer', '王五', shown), fakeSignature('advisor', '李顾问', shown)]);
    renderCustomerMode(intake.id);
    expect(await screen.findByText('签字完成，谢谢！')).toBeTruthy();
    expect(screen.getByRole('img', { name: '顾客: 王五 的签名' })).toBeTruthy();
    expect(screen.getByText(new RegExp(shown))).toBeTruthy();
  });
});
