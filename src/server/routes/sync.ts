/**
 * POST /api/sync/push and GET /api/sync/pull (src/shared/protocol.ts).
 *
 * Push validation: the envelope (protocolVersion, 1-500 mutations, each with a uuid `id`) must
 * match or the whole request is 400 with the zod issues. A single mutation that does not match
 * its schema is answered `rejected` with the issues and NOT recorded (changes nothing; a later,
 * fixed server could still accept its replay); the others go on, so one bad record never blocks
 * the outbox.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MIN_PROTOCOL_VERSION, mutationSchema, PROTOCOL_VERSION, type Mutation, type MutationResult } from '../../shared/protocol';
import { HttpError, parseBody } from '../errors';
import { requireAuth } from '../context';
import { applyPush, authorOf } from '../sync/apply';
import { sendJsonText } from '../compressed';
import { pullJson, PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT } from '../sync/pull';

const envelopeSchema = z.object({
  protocolVersion: z.number().int(),
  mutations: z.array(z.looseObject({ id: z.string().uuid() })).min(1).max(500),
});

/** A query number: decimal digits only (no '', '0x10', '1e3', ' 5'), within a safe integer. */
export const queryInt = (min: number, max: number, dflt: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'a decimal number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((n) => n ?? dflt);

const pullQuerySchema = z.object({
  since: queryInt(0, Number.MAX_SAFE_INTEGER, 0),
  limit: queryInt(1, PULL_MAX_LIMIT, PULL_DEFAULT_LIMIT),
});

export function syncRoutes(app: FastifyInstance): void {
  app.post('/api/sync/push', { bodyLimit: 16 * 1024 * 1024 }, async (req) => {
    const auth = requireAuth(req.auth);
    const env = parseBody(envelopeSchema, req.body);
    if (env.protocolVersion < MIN_PROTOCOL_VERSION || env.protocolVersion > PROTOCOL_VERSION) {
      throw new HttpError(400, 'protocol_version', `protocol version ${env.protocolVersion} is not supported (${MIN_PROTOCOL_VERSION}-${PROTOCOL_VERSION})`);
    }
    const valid: Mutation[] = [];
    const invalid = new Map<number, MutationResult>();
    env.mutations.forEach((raw, i) => {
      const r = mutationSchema.safeParse(raw);
      if (r.success) valid.push(r.data);
      else {
        const why = r.error.issues.slice(0, 5).map((x) => `${x.path.join('.')}: ${x.message}`).join('; ');
        invalid.set(i, { mutationId: raw.id, status: 'rejected', reason: `invalid mutation: ${why}` });
      }
    });
    const applied = valid.length
      ? await applyPush(app.wa.database, app.wa.versions, authorOf(auth), valid)
      : [];
    const results: MutationResult[] = [];
    let j = 0;
    env.mutations.forEach((_, i) => {
      const bad = invalid.get(i);
      const r = bad ?? applied[j++];
      if (r) results.push(r);
    });
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    req.log.info({ deviceId: auth.sessionId, staffId: auth.staffId, counts }, 'push');
    return { results };
  });

  app.get('/api/sync/pull', { compress: false }, async (req, reply) => {
    const auth = requireAuth(req.auth);
    const q = parseBody(pullQuerySchema, req.query, 'query');
    return sendJsonText(req, reply, await pullJson(app.wa.database, app.wa.versions, auth.dealershipId, q.since, q.limit));
  });
}
