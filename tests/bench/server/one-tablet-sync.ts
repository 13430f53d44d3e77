/**
 * Time for one tablet to sync 100 intakes with 10 photos each (200 KB JPEG-like): HEAD-then-PUT
 * every photo (4 in flight), then push create + 3 patches + sign per intake in batches of 100,
 * then pull everything back and check nothing is missing.
 * Run: node --import tsx tests/bench/server/one-tablet-sync.ts
 */
import { benchBackends, line, pool, startServerProcess } from './lib';
import { demo, loginAs } from '../../integration/helpers/client';
import { draft, fakeJpeg, mCreate, mPatch, mSign, withPhoto } from '../../integration/helpers/fixtures';
import type { Mutation } from '../../../src/shared/protocol';
import type { Intake } from '../../../src/model/intake/schema';

const INTAKES = 100;
const PHOTOS = 10;
const PHOTO_BYTES = 200 * 1024;

for (const backend of benchBackends()) {
  const s = await startServerProcess(backend);
  try {
    const tab = await loginAs(s.t, demo.advisor, 'one tablet');
    const photos = Array.from({ length: INTAKES * PHOTOS }, () => fakeJpeg(PHOTO_BYTES));
    const intakes: Intake[] = [];
    const muts: Mutation[] = [];
    for (let i = 0; i < INTAKES; i++) {
      let it = draft();
      muts.push(mCreate(it));
      for (let p = 0; p < PHOTOS; p++) it = withPhoto(it, (photos[i * PHOTOS + p] as { hash: string }).hash);
      it = { ...it, customer: { name: `客户${i}`, salutation: '', mobile: '13800000000' } };
      muts.push(mPatch(it.id, 'walkaround', it.walkaround, 0), mPatch(it.id, 'customer', it.customer, 0), mPatch(it.id, 'vehicle', { ...it.vehicle, plate: `京A${10000 + i}` }, 0));
      it = { ...it, vehicle: { ...it.vehicle, plate: `京A${10000 + i}` } };
      muts.push(mSign(it));
      intakes.push(it);
    }
    const t0 = performance.now();
    await pool(photos, 4, async (p) => {
      if ((await tab.req('HEAD', `/api/blobs/${p.hash}`)).status === 404) {
        const r = await tab.putBlob(p.hash, p.bytes);
        if (r.status !== 201) throw new Error(`PUT ${r.status}`);
      }
    });
    const tPhotos = performance.now();
    for (let i = 0; i < muts.length; i += 100) {
      const res = await tab.push(muts.slice(i, i + 100));
      if (res.results.some((r) => r.status !== 'applied')) throw new Error(JSON.stringify(res.results.find((r) => r.status !== 'applied')));
    }
    const tPush = performance.now();
    let cursor = 0;
    let got = 0;
    let missing = 0;
    for (;;) {
      const r = await tab.pull(cursor, 200);
      got += r.changes.length;
      missing += r.changes.reduce((n, c) => n + c.missingPhotos.length, 0);
      cursor = r.cursor;
      if (!r.more) break;
    }
    const tEnd = performance.now();
    if (got !== INTAKES || missing !== 0) throw new Error(`pulled ${got}, missing photos ${missing}`);
    const mb = (photos.length * PHOTO_BYTES) / 1024 / 1024;
    line(backend, `1 tablet: ${INTAKES} intakes × ${PHOTOS} photos (${mb.toFixed(0)} MB): total`, `${((tEnd - t0) / 1000).toFixed(1)} s`);
    line(backend, `  photos (HEAD+PUT, 4 in flight)`, `${((tPhotos - t0) / 1000).toFixed(1)} s`);
    line(backend, `  push ${muts.length} mutations (batches of 100)`, `${((tPush - tPhotos) / 1000).toFixed(1)} s`);
    line(backend, `  pull back ${got} intakes`, `${((tEnd - tPush) / 1000).toFixed(1)} s`);
  } finally {
    await s.close();
  }
}
