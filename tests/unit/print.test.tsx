// The printable intake sheet: dealership, all data, signatures, the full hash, amendments.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { addAmendment, signIntake } from '../../src/store/intakeWrites';
import { contentHash } from '../../src/model/intake/signedContent';
import { I18nProvider } from '../../src/i18n/i18n';
import { SessionProvider } from '../../src/store/session';
import { PrintScreen } from '../../src/features/print/PrintScreen';
import { createReadyIntake, fakeSignature, SESSION, withSession } from './reviewFixtures';
import { occurrences, spokenText } from './spokenText';

function renderPrint(id: string) {
  return render(
    <I18nProvider lang="zh-CN">
      <SessionProvider>
        <PrintScreen id={id} />
      </SessionProvider>
    </I18nProvider>,
  );
}

beforeEach(async () => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  await withSession();
});

describe('print view', () => {
  it('prints the signed sheet with dealership, data, signatures, full hash, signed time and amendments', async () => {
    const intake = await createReadyIntake();
    const hash = contentHash(intake);
    await signIntake(intake.id, hash, [fakeSignature('customer', '王五', hash), fakeSignature('advisor', '李顾问', hash)]);
    await addAmendment(intake.id, { id: 'adv-1', name: '李顾问' }, '交车前补充：雨刮片老化');
    renderPrint(intake.id);
    expect(await screen.findByRole('heading', { name: '接车登记表 · 客户联' })).toBeTruthy();
    expect(screen.getByText(SESSION.dealership.name)).toBeTruthy();
    expect(screen.getAllByText('京A12345').length).toBeGreaterThan(0);
    const evidence = document.querySelector('.print-evidence')!;
    expect(occurrences(spokenText(evidence), hash)).toBe(1); // the full hash, read once
    expect(occurrences(spokenText(evidence.querySelector('[data-hash]')!.parentElement!), '内容指纹')).toBe(1);
    expect(document.querySelector('[data-hash]')!.getAttribute('data-hash')).toBe(hash);
    expect(screen.getByRole('img', { name: '顾客: 王五 的签名' })).toBeTruthy();
    expect(screen.getByText('交车前补充：雨刮片老化')).toBeTruthy();
    expect(screen.queryByText(/草稿 · 未签字/)).toBeNull();
    expect(screen.getByTestId('vehicle-diagram')).toBeTruthy();
    const print = vi.fn();
    vi.stubGlobal('print', print);
    fireEvent.click(screen.getByRole('button', { name: '打印' }));
    expect(print).toHaveBeenCalledTimes(1);
    vi.unstubAllGlobals();
  });

  it('prints what was checked OK beside the damage at the same position', async () => {
    const intake = await createReadyIntake();
    renderPrint(intake.id);
    // The fixture's finding is on 左前门; the rest of position 1 was looked at and is OK.
    expect(await screen.findByText('其余检查正常：左前翼子板、左后视镜、左前车窗玻璃和左前轮胎及轮毂')).toBeTruthy();
  });

  it('marks an unsigned draft so it can never pass for a signed sheet', async () => {
    const intake = await createReadyIntake();
    renderPrint(intake.id);
    expect(await screen.findByText('草稿 · 未签字 · 不作为交接凭证')).toBeTruthy();
    expect(screen.getByText('尚未签字。')).toBeTruthy();
    expect(document.querySelector('[data-hash]')).toBeNull();
  });
});
