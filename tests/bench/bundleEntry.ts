/**
 * A browser bench's page code: one entry under tests/bench/browser built by Vite into a single
 * ES module (production mode, no code splitting), returned as text for the page to load.
 */
import { resolve } from 'node:path';
import { build } from 'vite';
import { REPO_ROOT } from '../e2e/harness';

export async function bundleEntry(entry: string, outDir: string, fileName: string): Promise<string> {
  const out = await build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'warn',
    publicDir: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir,
      emptyOutDir: true,
      write: false,
      target: 'es2022',
      // BENCH_PROFILE: readable function names in the page's CPU profile.
      minify: !process.env.BENCH_PROFILE,
      lib: { entry: resolve(REPO_ROOT, entry), formats: ['es'], fileName: () => fileName },
      rollupOptions: { output: { codeSplitting: false } },
    },
  });
  for (const o of Array.isArray(out) ? out : [out]) {
    if ('output' in o) for (const chunk of o.output) if (chunk.type === 'chunk' && chunk.isEntry) return chunk.code;
  }
  throw new Error(`bench bundle ${entry} not built`);
}
