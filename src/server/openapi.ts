/**
 * GET /api/openapi.json: an OpenAPI 3.1 document whose schemas are generated from the shared zod
 * schemas (z.toJSONSchema), so the document cannot drift from what client and server validate.
 * The routes carry no Fastify schemas (they validate with zod in the handler), so the path list is
 * kept here; tests/integration/hostile.test.ts fails when a registered /api route is missing.
 */
import { z, type ZodType } from 'zod';
import { pushRequestSchema, pushResponseSchema, pullResponseSchema, apiErrorSchema, blobsMissingRequestSchema, blobsMissingResponseSchema } from '../shared/protocol';
import { intakeSchema } from '../model/intake/schema';
import { vehicleDetailSchema, vehicleListResponseSchema, vehiclePullResponseSchema } from '../model/vehicle/schema';
import { appointmentSchema, dmsAppointmentSchema } from '../model/appointment/schema';
import {
  createStaffRequestSchema,
  deviceListResponseSchema,
  loginRequestSchema,
  loginResponseSchema,
  meResponseSchema,
  lockedSchema,
  pinRequestSchema,
  pinResponseSchema,
  staffListResponseSchema,
  stepUpRequestSchema,
  stepUpResponseSchema,
} from '../shared/auth';
import { BLOB_BATCH_TYPE, MAX_BATCH_BLOBS, MAX_BATCH_BYTES, blobBatchResponseSchema } from '../shared/blobBatch';

const components: Record<string, ZodType> = {
  PushRequest: pushRequestSchema,
  BlobsMissingRequest: blobsMissingRequestSchema,
  BlobsMissingResponse: blobsMissingResponseSchema,
  BlobBatchResponse: blobBatchResponseSchema,
  PushResponse: pushResponseSchema,
  PullResponse: pullResponseSchema,
  Intake: intakeSchema,
  VehiclePullResponse: vehiclePullResponseSchema,
  VehicleList: vehicleListResponseSchema,
  Vehicle: vehicleDetailSchema,
  Appointment: appointmentSchema,
  DmsAppointment: dmsAppointmentSchema,
  AppointmentAnswer: z.object({ appointment: appointmentSchema, created: z.boolean() }),
  AppointmentList: z.object({ date: z.string(), appointments: z.array(appointmentSchema) }),
  ApiError: apiErrorSchema,
  LoginRequest: loginRequestSchema,
  LoginResponse: loginResponseSchema,
  PinRequest: pinRequestSchema,
  PinResponse: pinResponseSchema,
  Locked: lockedSchema,
  StepUpRequest: stepUpRequestSchema,
  StepUpResponse: stepUpResponseSchema,
  MeResponse: meResponseSchema,
  CreateStaffRequest: createStaffRequestSchema,
  StaffList: staffListResponseSchema,
  DeviceList: deviceListResponseSchema,
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });
const err = { description: 'error', ...json('ApiError') };
const secured = [{ bearer: [] }];

type Extra = '403' | '409' | '413' | '415' | '422' | '423';

function op(summary: string, opts: { body?: string; ok?: string; okCode?: string; auth?: boolean; params?: string[]; query?: string[]; textQuery?: string[]; errors?: Extra[] } = {}) {
  return {
    summary,
    ...(opts.auth === false ? {} : { security: secured }),
    parameters: [
      ...(opts.params ?? []).map((n) => ({ name: n, in: 'path', required: true, schema: { type: 'string' } })),
      ...(opts.query ?? []).map((n) => ({ name: n, in: 'query', required: false, schema: { type: 'integer' } })),
      ...(opts.textQuery ?? []).map((n) => ({ name: n, in: 'query', required: false, schema: { type: 'string' } })),
      ...(opts.auth === false ? [] : [{ name: 'X-Acting-Staff', in: 'header', required: false, schema: { type: 'string', format: 'uuid' } }]),
    ],
    ...(opts.body ? { requestBody: { required: true, ...json(opts.body) } } : {}),
    responses: {
      [opts.okCode ?? '200']: opts.ok ? { description: 'ok', ...json(opts.ok) } : { description: 'ok' },
      '400': err,
      '401': err,
      '404': err,
      '429': err,
      ...(opts.auth === false ? {} : { '403': err }),
      ...Object.fromEntries((opts.errors ?? []).map((code) => [code, code === '423' ? { description: 'locked out', ...json('Locked') } : err])),
    },
  };
}

let cached: object | null = null;

export function openApiDocument(): object {
  if (cached) return cached;
  const schemas = Object.fromEntries(Object.entries(components).map(([k, s]) => [k, z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' })]));
  const blob = { params: ['sha256'] };
  cached = {
    openapi: '3.1.0',
    info: { title: 'Walkaround dealership server', version: '1' },
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/api/health': { get: op('database check', { auth: false }) },
      '/api/openapi.json': { get: op('this document', { auth: false }) },
      '/api/auth/login': { post: op('log a device in (423 when the account is locked)', { body: 'LoginRequest', ok: 'LoginResponse', okCode: '201', auth: false, errors: ['423'] }) },
      '/api/auth/pin': { post: op('switch acting staff by PIN (423 when locked)', { body: 'PinRequest', ok: 'PinResponse', errors: ['423'] }) },
      '/api/auth/step-up': { post: op('re-enter the password for manager actions (423 when locked)', { body: 'StepUpRequest', ok: 'StepUpResponse', errors: ['423'] }) },
      '/api/auth/staff': { get: op('staff list with offline PIN verifiers (any device session)', { ok: 'StaffList' }) },
      '/api/auth/me': { get: op('this device session', { ok: 'MeResponse' }) },
      '/api/staff': {
        get: op('staff list (manager, step-up)', { ok: 'StaffList' }),
        post: op('add staff (manager, step-up)', { body: 'CreateStaffRequest', okCode: '201', errors: ['409'] }),
      },
      '/api/devices': { get: op('device sessions (manager, step-up)', { ok: 'DeviceList' }) },
      '/api/devices/{id}/revoke': { post: op('revoke a device session (manager, step-up)', { params: ['id'] }) },
      '/api/sync/push': { post: op('push outbox mutations', { body: 'PushRequest', ok: 'PushResponse', errors: ['413'] }) },
      '/api/sync/pull': { get: op('changes after a cursor', { ok: 'PullResponse', query: ['since', 'limit'] }) },
      '/api/sync/events': {
        get: {
          ...op('Server-Sent Events: "something new at seq N" for this dealership (read with fetch: the bearer header, never a token in the URL)'),
          responses: {
            ...op('').responses,
            '200': {
              description:
                'text/event-stream. `event: hello` {seq, heartbeatMs} at once; `event: change` {seq} after every commit a pull returns; `: ping` every heartbeatMs; `event: bye` {reason} before the server ends it (revoked, replaced, shutdown). The tablet pulls on a hint; polling stays the fallback.',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            '429': { description: 'too many streams for this dealership (`too_many_streams`), or rate limited', ...json('ApiError') },
          },
        },
      },
      '/api/sync/vehicles': { get: op("the tablet's vehicle index after a cursor (change order)", { ok: 'VehiclePullResponse', query: ['since', 'limit'] }) },
      '/api/vehicles': { get: op('vehicles by plate (any plate it carried) or VIN: exactly one of the two; visits newest first, open items', { ok: 'VehicleList', textQuery: ['plate', 'vin'] }) },
      '/api/vehicles/{id}': { get: op("one vehicle (404 for another dealership's)", { ok: 'Vehicle', params: ['id'] }) },
      '/api/intakes': { get: op('intake list') },
      '/api/intakes/{id}': {
        get: op('one intake', { params: ['id'] }),
        patch: op('patch a draft section (409 when signed or on conflict, 413 too large)', { params: ['id'], errors: ['409', '413'] }),
        put: op('patch a draft section (409 when signed or on conflict, 413 too large)', { params: ['id'], errors: ['409', '413'] }),
      },
      '/api/appointments': {
        post: op('book or update an appointment from the DMS, idempotent by externalId (201 created, 200 updated; advisor or manager session; 409 when its rules refuse, e.g. already arrived)', { body: 'DmsAppointment', ok: 'AppointmentAnswer', okCode: '201', errors: ['409', '413'] }),
        get: {
          ...op("one day's appointments in slot order", { ok: 'AppointmentList' }),
          parameters: [
            { name: 'date', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'X-Acting-Staff', in: 'header', required: false, schema: { type: 'string', format: 'uuid' } },
          ],
        },
      },
      '/api/blobs/missing': { post: op('which of these hashes this dealership does not hold (one ask per batch instead of a HEAD per photo)', { body: 'BlobsMissingRequest', ok: 'BlobsMissingResponse' }) },
      '/api/blobs/batch': {
        post: {
          ...op(`several photos in one request, each verified like a PUT; a bad one is refused in the answer, the good ones stored (at most ${MAX_BATCH_BLOBS} photos, ${MAX_BATCH_BYTES} bytes)`, {
            ok: 'BlobBatchResponse',
            errors: ['413', '415'],
          }),
          requestBody: {
            required: true,
            description: 'uint32 big-endian header length H, H bytes of UTF-8 JSON {"blobs":[{"sha256","type","size"}]}, then each photo\'s bytes in that order (src/shared/blobBatch.ts)',
            content: { [BLOB_BATCH_TYPE]: { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
      '/api/blobs/{sha256}': {
        head: op('is the blob stored', blob),
        get: op('blob bytes', blob),
        put: op('upload image bytes (422 hash mismatch, 415 type, 413 size)', { ...blob, okCode: '201', errors: ['413', '415', '422'] }),
      },
    },
  };
  return cached;
}
