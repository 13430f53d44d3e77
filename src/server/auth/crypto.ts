/**
 * Password and PIN hashing with node's crypto.scrypt (memory-hard), a random salt per secret and
 * timing-safe comparison. Stored format: `scrypt$N$r$p$saltB64$hashB64`. Device tokens are
 * random 32 bytes (base64url); only their SHA-256 is stored.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PinVerifier } from '../../shared/auth';

export const SCRYPT = { N: 16384, r: 8, p: 1, dkLen: 32 } as const;

function scrypt(secret: string, salt: Buffer, keyLen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((ok, fail) => scryptCb(secret.normalize('NFC'), salt, keyLen, opts, (e, key) => (e ? fail(e) : ok(key))));
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, dkLen } = SCRYPT;
  const key = await scrypt(secret, salt, dkLen, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return null;
  return { N, r, p, salt: Buffer.from(parts[4] ?? '', 'base64'), hash: Buffer.from(parts[5] ?? '', 'base64') };
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const s = parse(stored);
  if (!s) return false;
  const key = await scrypt(secret, s.salt, s.hash.length, { N: s.N, r: s.r, p: s.p, maxmem: 64 * 1024 * 1024 });
  return key.length === s.hash.length && timingSafeEqual(key, s.hash);
}

/** A stored hash that never matches, to spend the same time on an unknown username. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashSecret(randomBytes(12).toString('hex'));
  return dummy;
}

/** The offline verifier handed to tablets (see src/shared/auth.ts for the trade-off). */
export function pinVerifier(stored: string): PinVerifier {
  const s = parse(stored);
  if (!s) throw new Error('bad stored PIN hash');
  return { algorithm: 'scrypt', N: s.N, r: s.r, p: s.p, dkLen: s.hash.length, salt: s.salt.toString('base64'), hash: s.hash.toString('base64') };
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
