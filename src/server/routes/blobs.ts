/**
 * HEAD/PUT/GET /api/blobs/:sha256 — photos by content hash, scoped per dealership: a blob is
 * readable only by a dealership that uploaded it (row in `blobs`); for any other it is 404.
 * PUT checks, in order: declared type (415), size (413), SHA-256 of the bytes == path (422),
 * real type from magic bytes == declared (415). Bytes are made durable on disk BEFORE the row
 * is written, so HEAD 200 always means the bytes are there.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACCEPTED_IMAGE_TYPES, MAX_BLOB_BYTES } from '../../shared/protocol';
import { SHA256_HEX } from '../../shared/sha256';
import { blobs } from '../db/schema';
import { HttpError, notFound } from '../errors';
import { requireAuth } from '../context';
import { sniffImage } from '../blobs/sniff';
import { blobSize, readBlob, writeBlob } from '../blobs/store';

const accepted: readonly string[] = ACCEPTED_IMAGE_TYPES;

function shaParam(req: FastifyRequest): string {
  const sha = ((req.params as { sha256?: string }).sha256 ?? '').toLowerCase();
  if (!SHA256_HEX.test(sha)) throw notFound('no such blob');
  return sha;
}

function declaredType(req: FastifyRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export async function blobRoutes(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser(accepted as string[], { parseAs: 'buffer', bodyLimit: MAX_BLOB_BYTES }, (_req, body, done) => done(null, body));

  // Blob bytes are images from tablets: never run as a document, even if opened directly.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', "default-src 'none'");
  });

  async function owned(dealershipId: string, sha: string) {
    const [row] = await app.wa.database.db.select().from(blobs).where(and(eq(blobs.dealershipId, dealershipId), eq(blobs.sha256, sha))).limit(1);
    return row ?? null;
  }

  app.head('/api/blobs/:sha256', async (req, reply) => {
    const auth = requireAuth(req.auth);
    const row = await owned(auth.dealershipId, shaParam(req));
    if (!row) return reply.code(404).send();
    return reply.header('content-type', row.contentType).header('content-length', row.size).code(200).send();
  });

  app.get('/api/blobs/:sha256', { exposeHeadRoute: false }, async (req, reply: FastifyReply) => {
    const auth = requireAuth(req.auth);
    const sha = shaParam(req);
    const row = await owned(auth.dealershipId, sha);
    if (!row || (await blobSize(app.wa.blobDir, sha)) === null) throw notFound('no such blob');
    return reply
      .header('content-type', row.contentType)
      .header('content-length', row.size)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('etag', `"${sha}"`)
      .send(readBlob(app.wa.blobDir, sha));
  });

  app.put(
    '/api/blobs/:sha256',
    {
      bodyLimit: MAX_BLOB_BYTES,
      onRequest: async (req) => {
        if (!accepted.includes(declaredType(req))) throw new HttpError(415, 'unsupported_media_type', `Content-Type must be one of ${accepted.join(', ')}`);
        const len = Number(req.headers['content-length'] ?? 0);
        if (len > MAX_BLOB_BYTES) throw new HttpError(413, 'too_large', `a blob may be at most ${MAX_BLOB_BYTES} bytes`);
      },
    },
    async (req, reply) => {
      const auth = requireAuth(req.auth);
      const sha = ((req.params as { sha256?: string }).sha256 ?? '').toLowerCase();
      if (!SHA256_HEX.test(sha)) throw new HttpError(400, 'invalid', 'the path must be a lowercase hex SHA-256');
      const body = req.body;
      if (!(body instanceof Buffer) || body.length === 0) throw new HttpError(400, 'invalid', 'empty body');
      const actual = createHash('sha256').update(body).digest('hex');
      if (actual !== sha) throw new HttpError(422, 'hash_mismatch', `the bytes hash to ${actual}, not ${sha}`);
      const type = declaredType(req);
      const real = sniffImage(body);
      if (!real) throw new HttpError(415, 'not_an_image', 'the bytes are not a JPEG, PNG or WebP image');
      if (real !== type) throw new HttpError(415, 'type_mismatch', `declared ${type} but the bytes are ${real}`);
      const already = await owned(auth.dealershipId, sha);
      await writeBlob(app.wa.blobDir, sha, body);
      if (already) return reply.code(200).send({ sha256: sha, size: body.length, type: real, stored: 'already' });
      await app.wa.database.db
        .insert(blobs)
        .values({ dealershipId: auth.dealershipId, sha256: sha, contentType: real, size: body.length, deviceId: auth.sessionId, staffId: auth.staffId })
        .onConflictDoNothing();
      req.log.info({ sha256: sha, size: body.length, deviceId: auth.sessionId }, 'blob stored');
      return reply.code(201).send({ sha256: sha, size: body.length, type: real, stored: 'new' });
    },
  );
}
