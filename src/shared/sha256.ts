/**
 * SHA-256 as lowercase hex, identical on tablet and server. Pure JS (@noble/hashes) on purpose:
 * `crypto.subtle` is missing on plain-http LAN addresses (not a secure context), and a signature
 * hash must never depend on how the dealership happened to serve the app.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export function sha256Hex(data: Uint8Array | ArrayBuffer | string): string {
  const bytes = typeof data === 'string' ? utf8ToBytes(data) : data instanceof Uint8Array ? data : new Uint8Array(data);
  return bytesToHex(sha256(bytes));
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
