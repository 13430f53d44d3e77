import { beforeEach, describe, expect, it } from 'vitest';
import { fitWithin, MAX_EDGE_PX, PhotoDecodeError } from '../../src/photos/processPhoto';
import { captureErrorKind } from '../../src/photos/capturePhoto';
import { useDatabase, WalkaroundDB, getDb } from '../../src/store/db';
import { savePhoto, PhotoVerifyError, sameBytes } from '../../src/store/photoStore';
import { sha256Hex, sha256HexBytes } from '../../src/shared/sha256';

describe('fitWithin (long edge ≤ max, aspect kept, never enlarged)', () => {
  it.each([
    // [w, h, max, expected w, expected h]
    [4000, 3000, 1600, 1600, 1200], // 12 MP landscape
    [3000, 4000, 1600, 1200, 1600], // 12 MP portrait (after EXIF rotation)
    [4032, 3024, 1600, 1600, 1200],
    [1600, 1200, 1600, 1600, 1200], // exactly at the limit: unchanged
    [800, 600, 1600, 800, 600], // small: never enlarged
    [5000, 5000, 1600, 1600, 1600], // square
    [10000, 3, 1600, 1600, 1], // extreme panorama: short edge never 0
    [4000, 2250, 1600, 1600, 900], // 16:9
  ])('%i×%i within %i → %i×%i', (w, h, max, ew, eh) => {
    expect(fitWithin(w, h, max)).toEqual({ width: ew, height: eh });
  });

  it('uses 1600 px as the default limit', () => {
    expect(MAX_EDGE_PX).toBe(1600);
  });

  it('rejects impossible sizes instead of producing a 0-pixel photo', () => {
    expect(() => fitWithin(0, 100, 1600)).toThrow(RangeError);
    expect(() => fitWithin(NaN, 100, 1600)).toThrow(RangeError);
  });
});

describe('captureErrorKind', () => {
  it('names the failures the advisor can act on', () => {
    expect(captureErrorKind(new PhotoDecodeError())).toBe('decode');
    expect(captureErrorKind(new PhotoVerifyError('a'.repeat(64)))).toBe('verify');
    expect(captureErrorKind(Object.assign(new Error('full'), { name: 'QuotaExceededError' }))).toBe('quota');
    expect(captureErrorKind({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe('quota');
    expect(captureErrorKind(new Error('boom'))).toBe('other');
  });
});

describe('savePhoto (bytes + hash, read back and verified)', () => {
  beforeEach(() => {
    useDatabase(new WalkaroundDB('t-' + crypto.randomUUID()));
  });

  it('stores bytes under their SHA-256 and reads them back intact', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3, 4, 5]).buffer;
    const stored = await savePhoto({ intakeId: 'i1', bytes, type: 'image/jpeg', width: 2, height: 1 });
    expect(stored.hash).toBe(sha256Hex(bytes));
    const back = await getDb().photos.get(stored.hash);
    expect(back).toBeDefined();
    expect(sha256Hex(back!.bytes)).toBe(stored.hash);
    expect(back!.size).toBe(8);
    expect((await getDb().photoMeta.get(stored.hash))?.uploaded).toBe(0);
  });

  it('saving the same bytes twice keeps one photo (content addressed)', async () => {
    const bytes = new Uint8Array([9, 8, 7]).buffer;
    const a = await savePhoto({ intakeId: 'i1', bytes, type: 'image/jpeg', width: 1, height: 1 });
    const b = await savePhoto({ intakeId: 'i1', bytes: bytes.slice(0), type: 'image/jpeg', width: 1, height: 1 });
    expect(a.hash).toBe(b.hash);
    expect(await getDb().photos.count()).toBe(1);
  });

  it('a photo that reads back different from what was written fails loudly', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 7, 7, 7]).buffer;
    const db = getDb();
    // Simulate storage that hands back other bytes than it was given.
    const realGet = db.photos.get.bind(db.photos);
    db.photos.get = (async (key: string) => {
      const p = await realGet(key);
      return p && { ...p, bytes: new Uint8Array([0xff, 0xd8, 0xff, 7, 7, 8]).buffer };
    }) as typeof db.photos.get;
    await expect(savePhoto({ intakeId: 'i1', bytes, type: 'image/jpeg', width: 1, height: 1 })).rejects.toBeInstanceOf(PhotoVerifyError);
  });
});

describe('photo hashing', () => {
  it('WebCrypto (or its JS fallback) gives the same digest as the JS SHA-256', async () => {
    for (const size of [0, 1, 55, 56, 64, 1000, 200_000]) {
      const bytes = new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff);
      expect(await sha256HexBytes(bytes.buffer)).toBe(sha256Hex(bytes));
      expect(await sha256HexBytes(bytes)).toBe(sha256Hex(bytes));
    }
  });

  it('falls back to the JS hash outside a secure context', async () => {
    const g = globalThis as { isSecureContext?: boolean };
    const before = g.isSecureContext;
    g.isSecureContext = false;
    try {
      const { photoHashImpl } = await import('../../src/shared/sha256');
      expect(photoHashImpl()).toBe('js');
      expect(await sha256HexBytes(new Uint8Array([1, 2, 3]))).toBe(sha256Hex(new Uint8Array([1, 2, 3])));
    } finally {
      if (before === undefined) delete g.isSecureContext;
      else g.isSecureContext = before;
    }
  });

  it('sameBytes compares contents, not identity', () => {
    expect(sameBytes(new Uint8Array([1, 2]).buffer, new Uint8Array([1, 2]).buffer)).toBe(true);
    expect(sameBytes(new Uint8Array([1, 2]).buffer, new Uint8Array([1, 3]).buffer)).toBe(false);
    expect(sameBytes(new Uint8Array([1, 2]).buffer, new Uint8Array([1]).buffer)).toBe(false);
  });
});
