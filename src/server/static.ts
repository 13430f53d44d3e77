/**
 * The built PWA (vite build → dist) on the same port as the API. Hashed assets are cached for a
 * year; index.html, sw.js, workbox files and the manifest must always be revalidated
 * (Cache-Control: no-cache) so a new release is seen. Unknown non-/api GETs fall back to
 * index.html (SPA routing); /api paths answer JSON 404.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

const NO_CACHE = /(^index\.html$|^sw\.js$|^workbox-.*\.js$|\.webmanifest$|^registerSW\.js$)/;

export async function registerStatic(app: FastifyInstance, staticDir: string | undefined): Promise<void> {
  const hasDist = !!staticDir && existsSync(join(staticDir, 'index.html'));
  if (hasDist && staticDir) {
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: true,
      index: false,
      setHeaders(res, path) {
        const name = basename(path);
        if (NO_CACHE.test(name) || path.endsWith('.html')) res.header('Cache-Control', 'no-cache');
        else if (path.includes('/assets/')) res.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    });
    app.get('/', async (_req, reply) => reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html'));
  }
  app.setNotFoundHandler(async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (hasDist && (req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/') && path !== '/api') {
      return reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
    }
    return reply.code(404).send({ error: 'not_found', message: `${req.method} ${path} not found` });
  });
}
