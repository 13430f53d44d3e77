/**
 * Photos in the walk-around step, with the image pipeline replaced (jsdom cannot decode; the
 * real pipeline runs in tests/e2e/walkaround.e2e.ts): the reference lands in the finding, and
 * still lands when the advisor has left the step while the photo was being processed.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useDatabase, WalkaroundDB, getDb } from '../../src/store/db';
import { createIntake, getIntake } from '../../src/store/intakeWrites';
import { useIntake } from '../../src/store/queries';
import { I18nProvider } from '../../src/i18n/i18n';
import { sha256Hex } from '../../src/shared/sha256';

const gate = vi.hoisted(() => ({ wait: null as Promise<void> | null }));
vi.mock('../../src/photos/processPhoto', async (orig) => {
  const real = await orig<typeof import('../../src/photos/processPhoto')>();
  return {
    ...real,
    processPhoto: vi.fn(async (blob: Blob) => {
      if (gate.wait) await gate.wait;
      return { bytes: await blob.arrayBuffer(), type: 'image/jpeg', width: 1600, height: 1200 };
    }),
  };
});

const { WalkaroundStep } = await import('../../src/features/walkaround/WalkaroundStep');

function Host({ id }: { id: string }) {
  const intake = useIntake(id);
  return intake ? <WalkaroundStep intake={intake} /> : null;
}

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  gate.wait = null;
});

async function withFinding() {
  const intake = await createIntake({ id: 'a', name: 'A' });
  const view = render(
    <I18nProvider lang="zh-CN">
      <Host id={intake.id} />
    </I18nProvider>,
  );
  fireEvent.click(await screen.findByRole('button', { name: '在左前门标记损伤' }));
  const card = screen.getByRole('region', { name: /损伤 1：左前门/ });
  const input = within(card).getByLabelText('为损伤 1 拍照') as HTMLInputElement;
  await waitFor(() => expect(input.disabled).toBe(false));
  return { intake, view, input };
}

describe('walk-around photos', () => {
  it('a captured photo is stored and referenced by its finding at once', async () => {
    const { intake, input } = await withFinding();
    const file = new File([new Uint8Array([0xff, 0xd8, 7, 7, 7])], 'p.jpg', { type: 'image/jpeg' });
    fireEvent.change(input, { target: { files: [file] } });
    const hash = sha256Hex(await file.arrayBuffer());
    await waitFor(async () => expect((await getIntake(intake.id))?.walkaround.findings[0]?.photos).toEqual([hash]));
    expect(await getDb().photos.get(hash)).toBeDefined();
  });

  it('keeps the photo reference when the advisor leaves the step while it is processed', async () => {
    const { intake, view, input } = await withFinding();
    let release!: () => void;
    gate.wait = new Promise<void>((ok) => (release = ok));
    const file = new File([new Uint8Array([0xff, 0xd8, 9, 9, 9])], 'q.jpg', { type: 'image/jpeg' });
    fireEvent.change(input, { target: { files: [file] } });
    view.unmount();
    release();
    const hash = sha256Hex(await file.arrayBuffer());
    await waitFor(async () => expect((await getIntake(intake.id))?.walkaround.findings[0]?.photos).toEqual([hash]));
  });
});
