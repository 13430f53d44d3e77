import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useDatabase, WalkaroundDB, getDb } from '../../src/store/db';
import { I18nProvider } from '../../src/i18n/i18n';
import { sha256Hex } from '../../src/shared/sha256';

// jsdom cannot decode images; the real decode/resize is covered by tests/e2e/walkaround.e2e.ts.
// Here the pipeline's output is fixed so the component's store → verify → onAdded path is real.
const processed = vi.hoisted(() => ({ fail: null as Error | null }));
vi.mock('../../src/photos/processPhoto', async (orig) => {
  const real = await orig<typeof import('../../src/photos/processPhoto')>();
  return {
    ...real,
    processPhoto: vi.fn(async (blob: Blob) => {
      if (processed.fail) throw processed.fail;
      const bytes = await blob.arrayBuffer();
      return { bytes, type: 'image/jpeg', width: 1600, height: 1200 };
    }),
  };
});

const { PhotoCapture } = await import('../../src/photos/PhotoCapture');
const { PhotoDecodeError } = await import('../../src/photos/processPhoto');
const { PhotoThumb } = await import('../../src/photos/PhotoThumb');
const { PhotoStrip } = await import('../../src/photos/PhotoStrip');

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  processed.fail = null;
});

const jpeg = (n: number) => new File([new Uint8Array([0xff, 0xd8, n, n + 1, n + 2])], `p${n}.jpg`, { type: 'image/jpeg' });

describe('PhotoCapture', () => {
  it('is a real camera file input named by its label; stores the photo and reports its hash', async () => {
    const added: string[] = [];
    render(
      <I18nProvider lang="zh-CN">
        <PhotoCapture intakeId="i1" label="为损伤 1 拍照" onAdded={(h) => added.push(h)} />
      </I18nProvider>,
    );
    const input = screen.getByLabelText('为损伤 1 拍照') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.accept).toBe('image/*');
    expect(input.getAttribute('capture')).toBe('environment');
    const file = jpeg(1);
    fireEvent.change(input, { target: { files: [file] } });
    await waitFor(() => expect(added).toHaveLength(1));
    const expected = sha256Hex(await file.arrayBuffer());
    expect(added[0]).toBe(expected);
    const stored = await getDb().photos.get(expected);
    expect(stored).toMatchObject({ intakeId: 'i1', type: 'image/jpeg', width: 1600, height: 1200 });
    expect(await screen.findByText('照片已保存')).toBeTruthy();
  });

  it('says in words when a photo cannot be read, and stores nothing', async () => {
    processed.fail = new PhotoDecodeError();
    const added: string[] = [];
    render(
      <I18nProvider lang="zh-CN">
        <PhotoCapture intakeId="i1" label="拍照" onAdded={(h) => added.push(h)} />
      </I18nProvider>,
    );
    fireEvent.change(screen.getByLabelText('拍照'), { target: { files: [jpeg(2)] } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/无法读取这张照片/);
    expect(added).toEqual([]);
    expect(await getDb().photos.count()).toBe(0);
  });

  it('tells the caller when the camera is being opened (to write pending edits first)', () => {
    let opened = 0;
    render(
      <I18nProvider lang="en">
        <PhotoCapture intakeId="i1" label="Take photo" onAdded={() => {}} onOpen={() => opened++} />
      </I18nProvider>,
    );
    // a real button, found by its role and name; the file input behind it is not a second control
    fireEvent.click(screen.getByRole('button', { name: 'Take photo' }));
    expect(opened).toBe(1);
    expect(screen.getAllByRole('button')).toHaveLength(1);
    const input = screen.getByLabelText('Take photo') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.getAttribute('aria-hidden')).toBe('true');
    expect(input.tabIndex).toBe(-1);
  });

  it('is disabled when told (e.g. the finding is not stored yet)', () => {
    render(
      <I18nProvider lang="en">
        <PhotoCapture intakeId="i1" label="Take photo" onAdded={() => {}} disabled />
      </I18nProvider>,
    );
    expect((screen.getByRole('button', { name: 'Take photo' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByLabelText('Take photo') as HTMLInputElement).disabled).toBe(true);
  });
});

describe('PhotoThumb / PhotoStrip', () => {
  it('shows a visible broken-photo tile when the bytes are missing', async () => {
    render(
      <I18nProvider lang="zh-CN">
        <PhotoThumb hash={'ab'.repeat(32)} alt="损伤 1" />
      </I18nProvider>,
    );
    expect(await screen.findByRole('img', { name: /损伤 1: 照片缺失（abababab）/ })).toBeTruthy();
  });

  it('shows stored bytes through an object URL and revokes it on unmount', async () => {
    const created: string[] = [];
    const revoked: string[] = [];
    const orig = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = (b: Blob | MediaSource) => {
      const u = `blob:test/${created.length}-${(b as Blob).size}`;
      created.push(u);
      return u;
    };
    URL.revokeObjectURL = (u: string) => void revoked.push(u);
    try {
      const { savePhoto } = await import('../../src/store/photoStore');
      const p = await savePhoto({ intakeId: 'i1', bytes: new Uint8Array([1, 2, 3, 4]).buffer, type: 'image/jpeg', width: 4, height: 3 });
      const view = render(
        <I18nProvider lang="zh-CN">
          <PhotoThumb hash={p.hash} alt="损伤 3" />
        </I18nProvider>,
      );
      const img = (await screen.findByRole('img', { name: '损伤 3' })) as HTMLImageElement;
      expect(img.getAttribute('src')).toBe('blob:test/0-4');
      view.unmount();
      expect(revoked).toEqual(['blob:test/0-4']);
    } finally {
      URL.createObjectURL = orig.create;
      URL.revokeObjectURL = orig.revoke;
    }
  });

  it('removes a photo only after a second, explicit tap', async () => {
    const removed: string[] = [];
    const h = 'cd'.repeat(32);
    render(
      <I18nProvider lang="zh-CN">
        <PhotoStrip hashes={[h]} alt="损伤 1" editable onRemove={(x) => removed.push(x)} />
      </I18nProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: '移除照片 1' }));
    expect(removed).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: '确认移除' }));
    expect(removed).toEqual([h]);
  });

  it('opens a viewer on tap and closes it with Escape', async () => {
    render(
      <I18nProvider lang="zh-CN">
        <PhotoStrip hashes={['ef'.repeat(32)]} alt="损伤 2" />
      </I18nProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: /查看大图：损伤 2 \(1\/1\)/ }));
    expect(screen.getByRole('dialog', { name: '照片查看' })).toBeTruthy();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
