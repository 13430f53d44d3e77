/**
 * The HTTP surface around the API: health (db check), OpenAPI JSON generated from the shared zod
 * schemas, the built PWA with SPA fallback and no-cache on index.html and sw.js, JSON 404 under
 * /api.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { injectTransport, type Transport } from './helpers/client';

describe.each(backends())('http surface on %s', (backend) => {
  let env: TestApp;
  let t: Transport;
  const dist = mkdtempSync(join(tmpdir(), 'walkaround-dist-'));
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Walkaround</title>');
    writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("install",()=>{})');
    writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    env = await startApp(backend, { staticDir: dist });
    t = injectTransport(env.app);
  });
  afterAll(async () => {
    await env.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('health checks the database', async () => {
    const r = await t({ method: 'GET', url: '/api/health' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, db: backend });
  });

  it('serves an OpenAPI document built from the shared schemas', async () => {
    const r = await t({ method: 'GET', url: '/api/openapi.json' });
    expect(r.status).toBe(200);
    const doc = r.body as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/sync/push', '/api/sync/pull', '/api/blobs/{sha256}', '/api/auth/login']));
    expect(doc.components.schemas.PushRequest?.properties).toHaveProperty('mutations');
    expect(doc.components.schemas.Intake?.properties).toHaveProperty('walkaround');
  });

  it('serves the PWA: files, SPA fallback, no-cache for index.html and sw.js, JSON 404 under /api', async () => {
    const index = await t({ method: 'GET', url: '/' });
    expect(index.status).toBe(200);
    expect(index.raw.toString()).toContain('Walkaround');
    expect(index.headers['cache-control']).toBe('no-cache');
    const sw = await t({ method: 'GET', url: '/sw.js' });
    expect(sw.status).toBe(200);
    expect(sw.headers['cache-control']).toBe('no-cache');
    const asset = await t({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(asset.headers['cache-control']).toContain('immutable');
    const deep = await t({ method: 'GET', url: '/intakes/123/walkaround' });
    expect(deep.status).toBe(200);
    expect(deep.raw.toString()).toContain('Walkaround');
    expect(deep.headers['cache-control']).toBe('no-cache');
    const api = await t({ method: 'GET', url: '/api/nope' });
    expect(api.status).toBe(404);
    expect(api.body).toMatchObject({ error: 'not_found' });
  });
});
