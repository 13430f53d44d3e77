/**
 * The few auth calls the tablet makes (login, PIN proof, manager tools), with answers validated
 * by the shared zod schemas (src/shared/auth.ts). Failures come back as values, not throws, so
 * screens can say exactly what happened: wrong password, no network, rate limited, locked.
 */
import type { ZodType } from 'zod';
import { ACTING_STAFF_HEADER } from '../../shared/auth';

export interface AuthHttpConfig {
  baseUrl: string;
  fetch: typeof fetch;
}

const config: AuthHttpConfig = { baseUrl: '', fetch: (...a) => globalThis.fetch(...a) };

/** Tests and the e2e harness point this at another server. */
export function configureAuthHttp(c: Partial<AuthHttpConfig>): void {
  Object.assign(config, c);
}

export type HttpOutcome<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; kind: 'offline' | 'http' | 'protocol'; error: string; message: string; body: Record<string, unknown> };

export async function callApi<T>(
  method: 'GET' | 'POST',
  path: string,
  opts: { body?: unknown; token?: string; actingStaffId?: string | null; schema: ZodType<T>; timeoutMs?: number },
): Promise<HttpOutcome<T>> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.actingStaffId) headers[ACTING_STAFF_HEADER] = opts.actingStaffId;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 20_000);
  let res: Response;
  try {
    res = await config.fetch(`${config.baseUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: ctrl.signal,
      cache: 'no-store',
    });
  } catch (e) {
    return { ok: false, status: 0, kind: 'offline', error: 'offline', message: e instanceof Error ? e.message : String(e), body: {} };
  } finally {
    clearTimeout(timer);
  }
  const text = await res.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const body = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
    return {
      ok: false,
      status: res.status,
      kind: 'http',
      error: typeof body.error === 'string' ? body.error : `http_${res.status}`,
      message: typeof body.message === 'string' ? body.message : text.slice(0, 200),
      body,
    };
  }
  const parsed = opts.schema.safeParse(json);
  if (!parsed.success) return { ok: false, status: res.status, kind: 'protocol', error: 'protocol', message: parsed.error.message.slice(0, 300), body: {} };
  return { ok: true, status: res.status, data: parsed.data };
}
