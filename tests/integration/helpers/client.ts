/**
 * A tiny API client over Fastify inject (or real HTTP via fetch when given a base URL), plus
 * login helpers. Every call returns status + parsed JSON body.
 */
import type { FastifyInstance } from 'fastify';
import type { LoginResponse } from '../../../src/shared/auth';
import { DEMO_ADVISOR, DEMO_MANAGER, DEMO_TECHNICIAN, type DemoLogin } from '../../../src/server/demo';
import { PROTOCOL_VERSION, type Mutation, type PushResponse, type PullResponse } from '../../../src/shared/protocol';

export interface Res<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  raw: Buffer;
}

export interface Call {
  method: string;
  url: string;
  json?: unknown;
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

function parseJson(raw: Buffer): unknown {
  if (!raw.length) return null;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8');
  }
}

export type Transport = (c: Call) => Promise<Res>;

export function injectTransport(app: FastifyInstance): Transport {
  return async (c) => {
    const headers: Record<string, string> = { ...c.headers };
    let payload: string | Buffer | undefined = c.payload;
    if (c.json !== undefined) {
      payload = JSON.stringify(c.json);
      headers['content-type'] ??= 'application/json';
    }
    const r = await app.inject({ method: c.method as 'GET', url: c.url, headers, ...(payload !== undefined ? { payload } : {}) });
    const raw = r.rawPayload;
    return { status: r.statusCode, body: parseJson(raw), headers: r.headers, raw };
  };
}

export function httpTransport(baseUrl: string): Transport {
  return async (c) => {
    const headers: Record<string, string> = { ...c.headers };
    let body: string | Buffer | undefined = c.payload;
    if (c.json !== undefined) {
      body = JSON.stringify(c.json);
      headers['content-type'] ??= 'application/json';
    }
    const r = await fetch(baseUrl + c.url, { method: c.method, headers, ...(body !== undefined ? { body: new Uint8Array(typeof body === 'string' ? Buffer.from(body) : body) } : {}) });
    const raw = Buffer.from(await r.arrayBuffer());
    return { status: r.status, body: parseJson(raw), headers: Object.fromEntries(r.headers.entries()), raw };
  };
}

/** One logged-in tablet. */
export class Tablet {
  constructor(
    readonly t: Transport,
    readonly login: LoginResponse,
    public actingStaffId: string | null = null,
  ) {}

  get token(): string {
    return this.login.token;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, ...(this.actingStaffId ? { 'x-acting-staff': this.actingStaffId } : {}), ...extra };
  }

  req<T = unknown>(method: string, url: string, json?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    return this.t({ method, url, ...(json !== undefined ? { json } : {}), headers: this.headers(headers) }) as Promise<Res<T>>;
  }

  async push(mutations: Mutation[]): Promise<PushResponse> {
    const r = await this.req<PushResponse>('POST', '/api/sync/push', { protocolVersion: PROTOCOL_VERSION, mutations });
    if (r.status !== 200) throw new Error(`push ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async pull(since: number, limit?: number): Promise<PullResponse> {
    const r = await this.req<PullResponse>('GET', `/api/sync/pull?since=${since}${limit ? `&limit=${limit}` : ''}`);
    if (r.status !== 200) throw new Error(`pull ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  putBlob(hash: string, bytes: Buffer, type = 'image/jpeg'): Promise<Res> {
    return this.t({ method: 'PUT', url: `/api/blobs/${hash}`, payload: bytes, headers: this.headers({ 'content-type': type }) });
  }

  /** Re-enter the acting staff member's password: manager actions for the next few minutes. */
  stepUp(password: string): Promise<Res> {
    return this.req('POST', '/api/auth/step-up', { password });
  }

  async pin(staffId: string, pin: string): Promise<Res> {
    const r = await this.req('POST', '/api/auth/pin', { staffId, pin });
    if (r.status === 200) this.actingStaffId = staffId;
    return r;
  }
}

export async function loginAs(t: Transport, who: Pick<DemoLogin, 'dealership' | 'username' | 'password'>, deviceName = 'tablet'): Promise<Tablet> {
  const r = await t({ method: 'POST', url: '/api/auth/login', json: { dealership: who.dealership, username: who.username, password: who.password, deviceName } });
  if (r.status !== 201) throw new Error(`login ${who.username}@${who.dealership}: ${r.status} ${JSON.stringify(r.body)}`);
  return new Tablet(t, r.body as LoginResponse);
}

export const demo = { advisor: DEMO_ADVISOR, technician: DEMO_TECHNICIAN, manager: DEMO_MANAGER };
