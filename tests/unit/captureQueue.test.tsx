// The capture queue: the next photo never waits for the one before; photos are stored in shutter
// order with at most PROCESS_AT_ONCE resizes at once; a failing photo is reported and the rest go on.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { I18nProvider } from '../../src/i18n/i18n';
import { sha256Hex } from '../../src/shared/sha256';

// jsdom cannot decode images (the real pipeline runs in tests/e2e and the capture bench): each
// "processed" photo is its input bytes, released when the test says so.
const ctl = vi.hoisted(() => ({
  running: 0,
  maxRunning: 0,
  gates: new Map<string, () => void>(),
  hold: false,
  fail: new Set<string>(),
}));
vi.mock('../../src/photos/processPhoto', async (orig) => {
  const real = await orig<typeof import('../../src/photos/processPhoto')>();
  return {
    ...real,
    processPhoto: vi.fn(async (blob: Blob) => {
      const name = (blob as File).name;
      ctl.running++;
      ctl.maxRunning = Math.max(ctl.maxRunning, ctl.running);
      try {
        if (ctl.hold) await new Promise<void>((r) => ctl.gates.set(name, r));
        else await new Promise((r) => setTimeout(r, 3));
        if (ctl.fail.has(name)) throw new real.PhotoDecodeError();
        return { bytes: await blob.arrayBuffer(), type: 'image/jpeg', width: 1600, height: 1200 };
      } finally {
        ctl.running--;
      }
    }),
  };
});

const { createCaptureQueue, PROCESS_AT_ONCE } = await import('../../src/photos/captureQueue');
const { PhotoCapture } = await import('../../src/photos/PhotoCapture');

const jpeg = (n: number) => new File([new Uint8Array([0xff, 0xd8, 0xff, n, n >> 8])], `p${n}.jpg`, { type: 'image/jpeg' });
const hashOf = async (f: File) => sha256Hex(new Uint8Array(await f.arrayBuffer()));

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  ctl.running = 0;
  ctl.maxRunning = 0;
  ctl.gates.clear();
  ctl.hold = false;
  ctl.fail.clear();
});

describe('createCaptureQueue', () => {
  it('stores a burst in shutter order, with at most PROCESS_AT_ONCE resizes at once', async () => {
    const stored: string[] = [];
    const q = createCaptureQueue({ intakeId: () => 'i1', onStored: (h) => stored.push(h), onError: (e) => { throw e; } });
    const files = Array.from({ length: 10 }, (_, i) => jpeg(i));
    q.add(files.slice(0, 4));
    q.add(files.slice(4)); // the next shots, while the first are still in the queue
    expect(q.state().pending).toBe(10);
    await q.idle();
    expect(stored).toEqual(await Promise.all(files.map(hashOf)));
    expect(ctl.maxRunning).toBeGreaterThan(1);
    expect(ctl.maxRunning).toBeLessThanOrEqual(PROCESS_AT_ONCE);
    expect(await getDb().photos.count()).toBe(10);
    expect(await getDb().photoMeta.where('uploaded').equals(0).count()).toBe(10);
    expect(q.state()).toEqual({ pending: 0, processing: 0, stored: 10 });
  });

  it('a later photo ready first still waits for its turn to be reported', async () => {
    ctl.hold = true;
    const stored: string[] = [];
    const q = createCaptureQueue({ intakeId: () => 'i1', onStored: (h) => stored.push(h), onError: () => undefined });
    const [a, b] = [jpeg(1), jpeg(2)];
    q.add([a, b]);
    await waitFor(() => expect(ctl.gates.size).toBe(2));
    ctl.gates.get('p2.jpg')!();
    await new Promise((r) => setTimeout(r, 20));
    expect(stored).toEqual([]); // b is processed but a is not: nothing reported out of order
    ctl.gates.get('p1.jpg')!();
    await q.idle();
    expect(stored).toEqual([await hashOf(a), await hashOf(b)]);
  });

  it('a photo that fails is reported; the ones before and after it are stored', async () => {
    ctl.fail.add('p2.jpg');
    const stored: string[] = [];
    const errors: unknown[] = [];
    const q = createCaptureQueue({ intakeId: () => 'i1', onStored: (h) => stored.push(h), onError: (e) => errors.push(e) });
    const files = [jpeg(1), jpeg(2), jpeg(3)];
    q.add(files);
    await q.idle();
    expect(stored).toEqual([await hashOf(files[0]!), await hashOf(files[2]!)]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).name).toBe('PhotoDecodeError');
    expect(await getDb().photos.count()).toBe(2);
  });
});

describe('PhotoCapture with the queue', () => {
  it('stays usable while photos are being stored; every photo arrives, in order', async () => {
    ctl.hold = true;
    const added: string[] = [];
    render(
      <I18nProvider lang="zh-CN">
        <PhotoCapture intakeId="i1" label="为损伤 1 拍照" onAdded={(h) => added.push(h)} />
      </I18nProvider>,
    );
    const input = screen.getByLabelText('为损伤 1 拍照') as HTMLInputElement;
    const files = [jpeg(1), jpeg(2), jpeg(3)];
    fireEvent.change(input, { target: { files: [files[0]] } });
    await waitFor(() => expect(ctl.gates.size).toBe(1));
    // The first photo is still being processed: the camera can be used again.
    expect(input.disabled).toBe(false);
    fireEvent.change(input, { target: { files: [files[1], files[2]] } });
    expect((await screen.findByText('正在保存 3 张照片…（可继续拍摄）')).textContent).toBeTruthy();
    for (const f of files) {
      await waitFor(() => expect(ctl.gates.has(f.name)).toBe(true));
      ctl.gates.get(f.name)!();
    }
    await waitFor(() => expect(added).toHaveLength(3));
    expect(added).toEqual(await Promise.all(files.map(hashOf)));
    expect(await screen.findByText('照片已保存')).toBeTruthy();
  });
});
