/**
 * Photo upload throughput (MB/s) over loopback: HEAD then PUT of 1 MB JPEG-like blobs (hash
 * verified, type sniffed, fsync'd), 4 uploads in flight. Run: node --import tsx tests/bench/server/blob-throughput.ts
 */
import { benchBackends, line, pool, startServerProcess } from './lib';
import { demo, loginAs } from '../../integration/helpers/client';
import { fakeJpeg } from '../../integration/helpers/fixtures';

const COUNT = 60;
const SIZE = 1024 * 1024;

for (const backend of benchBackends()) {
  const s = await startServerProcess(backend);
  try {
    const tab = await loginAs(s.t, demo.advisor, 'bench');
    const photos = Array.from({ length: COUNT }, () => fakeJpeg(SIZE));
    const t0 = performance.now();
    await pool(photos, 4, async (p) => {
      const head = await tab.req('HEAD', `/api/blobs/${p.hash}`);
      if (head.status === 404) {
        const r = await tab.putBlob(p.hash, p.bytes);
        if (r.status !== 201) throw new Error(`PUT ${r.status}`);
      }
    });
    const secs = (performance.now() - t0) / 1000;
    line(backend, `upload ${COUNT} × 1 MB, 4 in flight`, `${((COUNT * SIZE) / 1024 / 1024 / secs).toFixed(1)} MB/s`);
    const t1 = performance.now();
    await pool(photos, 4, async (p) => {
      const r = await tab.req('GET', `/api/blobs/${p.hash}`);
      if (r.raw.length !== SIZE) throw new Error('short read');
    });
    line(backend, `download ${COUNT} × 1 MB, 4 in flight`, `${((COUNT * SIZE) / 1024 / 1024 / ((performance.now() - t1) / 1000)).toFixed(1)} MB/s`);
  } finally {
    await s.close();
  }
}
