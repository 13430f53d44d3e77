/**
 * HEAD/PUT/GET /api/blobs/:sha256 — photos by content hash, scoped per dealership: a blob is
 * readable only by a dealership that uploaded it (row in `blobs`); for any other it is 404.
 * POST /api/blobs/missing {hashes} — which of a batch of hashes this dealership does not hold
 * (its own rows only: a blob another dealership holds is "missing", exactly like an unknown one).
 * PUT checks, in order: declared type (415), size (413), SHA-256 of the bytes == path (422),
 * real type from magic bytes == declared (415). Bytes are made durable on disk BEFORE the row
 * is written, so HEAD 200 always means the bytes are there.
 * POST /api/blobs/batch — several photos in one body (src/shared/blobBatch.ts): the frame is
 * checked as a whole (400), then each photo with the same checks as a PUT (checkBlob); a photo
 * that fails is refused in the answer with the PUT's code, the others are stored. Steps:
 *   1. frame and header, read as the body arrives (src/server/blobs/batchReader.ts; 400 invalid,
 *      413 too large, 415 wrong Content-Type);
 *   2. each photo checked (hash, computed as its bytes arrived; declared type; real type);
 *   3. every good photo's bytes made durable (atomic file each, the batch's fsyncs together);
 *   4. one INSERT … ON CONFLICT DO NOTHING RETURNING for the rows: what it did not insert, this
 *      dealership held before ("already"); only then is the answer sent.
 * A crash between 3 and 4 leaves files without rows: those photos count as missing and are sent
 * again, never as held without their bytes.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACCEPTED_IMAGE_TYPES, MAX_BLOB_BYTES, blobsMissingRequestSchema, type BlobsMissingResponse } from '../../shared/protocol';
import { SHA256_HEX } from '../../shared/sha256';
import { blobs } from '../db/schema';
import { HttpError, notFound, parseBody } from '../errors';
import { requireAuth } from '../context';
import { sniffImage } from '../blobs/sniff';
import { blobSize, readBlob, writeBlob, writeBlobs } from '../blobs/store';
import { BLOB_BATCH_TYPE, MAX_BATCH_BYTES, acceptedImageType, type BlobBatchResponse, type BlobBatchResult } from '../../shared/blobBatch';
import { readBlobBatch } from '../blobs/batchReader';

/** A refusal of one photo: the HTTP status a single PUT would answer, its code and reason. */
interface BlobRefusal {
  status: number;
  error: string;
  message: string;
}

/**
 * The checks every photo passes before it is stored, PUT or batch: declared type, hash, real type.
 * `actual` is the SHA-256 of the bytes, `head` their first bytes.
 */
function checkBlob(head: Uint8Array, actual: string, sha: string, type: string): BlobRefusal | null {
  if (!acceptedImageType(type)) return { status: 415, error: 'unsupported_media_type', message: `the type must be one of ${ACCEPTED_IMAGE_TYPES.join(', ')}` };
  if (actual !== sha) return { status: 422, error: 'hash_mismatch', message: `the bytes hash to ${actual}, not ${sha}` };
  const real = sniffImage(head);
  if (!real) return { status: 415, error: 'not_an_image', message: 'the bytes are not a JPEG, PNG or WebP image' };
  if (real !== type) return { status: 415, error: 'type_mismatch', message: `declared ${type} but the bytes are ${real}` };
  return null;
}


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

  app.post('/api/blobs/missing', async (req): Promise<BlobsMissingResponse> => {
    const auth = requireAuth(req.auth);
    const { hashes } = parseBody(blobsMissingRequestSchema, req.body);
    const unique = [...new Set(hashes)];
    const rows = await app.wa.database.db
      .select({ sha256: blobs.sha256 })
      .from(blobs)
      .where(and(eq(blobs.dealershipId, auth.dealershipId), inArray(blobs.sha256, unique)));
    const held = new Set(rows.map((r) => r.sha256));
    return { missing: unique.filter((h) => !held.has(h)) };
  });

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
      const type = declaredType(req);
      const refusal = checkBlob(body, createHash('sha256').update(body).digest('hex'), sha, type);
      if (refusal) throw new HttpError(refusal.status, refusal.error, refusal.message);
      const already = await owned(auth.dealershipId, sha);
      await writeBlob(app.wa.blobDir, sha, body);
      if (already) return reply.code(200).send({ sha256: sha, size: body.length, type, stored: 'already' });
      await app.wa.database.db
        .insert(blobs)
        .values({ dealershipId: auth.dealershipId, sha256: sha, contentType: type, size: body.length, deviceId: auth.sessionId, staffId: auth.staffId })
        .onConflictDoNothing();
      req.log.info({ sha256: sha, size: body.length, deviceId: auth.sessionId }, 'blob stored');
      return reply.code(201).send({ sha256: sha, size: body.length, type, stored: 'new' });
    },
  );

  // The body as it arrives (no parseAs): readBlobBatch hashes each photo chunk by chunk and keeps
  // views of the chunks, enforcing MAX_BATCH_BYTES itself (fastify counts only parseAs bodies).
  app.addContentTypeParser(BLOB_BATCH_TYPE, (_req, payload, done) => done(null, payload));

  app.post(
    '/api/blobs/batch',
    {
      bodyLimit: MAX_BATCH_BYTES,
      onRequest: async (req) => {
        if (declaredType(req) !== BLOB_BATCH_TYPE) throw new HttpError(415, 'unsupported_media_type', `Content-Type must be ${BLOB_BATCH_TYPE}`);
        const len = Number(req.headers['content-length'] ?? 0);
        if (len > MAX_BATCH_BYTES) throw new HttpError(413, 'too_large', `a batch may be at most ${MAX_BATCH_BYTES} bytes`);
      },
    },
    async (req): Promise<BlobBatchResponse> => {
      const auth = requireAuth(req.auth);
      const body = req.body as AsyncIterable<Uint8Array> | null | undefined;
      if (!body || typeof body[Symbol.asyncIterator] !== 'function') throw new HttpError(400, 'invalid', 'empty body');
      // 1. The frame as a whole (each photo hashed as its bytes arrive).
      const frame = await readBlobBatch(body, MAX_BATCH_BYTES).catch((e: unknown) => {
        // The client went away mid-body (or the stream broke): nothing was stored.
        throw new HttpError(400, 'invalid', `the body did not arrive whole: ${e instanceof Error ? e.message : String(e)}`);
      });
      if (!frame.ok) throw frame.status === 413 ? new HttpError(413, 'too_large', frame.reason) : new HttpError(400, 'invalid', frame.reason, frame.issues);
      // 2. Each photo on its own.
      const results: BlobBatchResult[] = [];
      const good: { sha256: string; type: string; parts: Uint8Array[]; size: number }[] = [];
      for (const b of frame.blobs) {
        const refusal = checkBlob(b.head, b.actualSha256, b.sha256, b.type);
        if (refusal) results.push({ sha256: b.sha256, status: 'refused', error: refusal.error, message: refusal.message });
        else {
          results.push({ sha256: b.sha256, status: 'stored' });
          good.push(b);
        }
      }
      if (good.length === 0) return { results };
      // 3. Bytes durable before any row names them (phased: see writeBlobs).
      await writeBlobs(app.wa.blobDir, good);
      // 4. One statement for the rows; the ones it did not insert this dealership held before.
      const inserted = await app.wa.database.db
        .insert(blobs)
        .values(good.map((g) => ({ dealershipId: auth.dealershipId, sha256: g.sha256, contentType: g.type, size: g.size, deviceId: auth.sessionId, staffId: auth.staffId })))
        .onConflictDoNothing()
        .returning({ sha256: blobs.sha256 });
      const fresh = new Set(inserted.map((r) => r.sha256));
      for (const r of results) if (r.status === 'stored' && !fresh.has(r.sha256)) r.status = 'already';
      req.log.info({ stored: fresh.size, already: good.length - fresh.size, refused: frame.blobs.length - good.length, bytes: frame.bytes, deviceId: auth.sessionId }, 'blob batch');
      return { results };
    },
  );
}
