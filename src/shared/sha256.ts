/**
 * SHA-256 as lowercase hex, identical on tablet and server.
 *
 * `sha256Hex` is pure JS (@noble/hashes) on purpose: `crypto.subtle` is missing on plain-http LAN
 * addresses (not a secure context), and a signature hash must never depend on how the dealership
 * happened to serve the app. `sha256HexBytes` is for photo bytes (hundreds of KB each, hundreds
 * per sync): WebCrypto where the page is a secure context (about 10× faster, off the JS heap),
 * the same JS function otherwise. Both give the same digest for the same bytes.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export function sha256Hex(data: Uint8Array | ArrayBuffer | string): string {
  const bytes = typeof data === 'string' ? utf8ToBytes(data) : data instanceof Uint8Array ? data : new Uint8Array(data);
  return bytesToHex(sha256(bytes));
}

function subtleOrNull(): SubtleCrypto | null {
  const g = globalThis as { isSecureContext?: boolean; crypto?: Crypto };
  // Node (tests, server) has no isSecureContext but a working crypto.subtle.
  if (g.isSecureContext === false) return null;
  return g.crypto?.subtle ?? null;
}

/** SHA-256 of bytes: WebCrypto when available in a secure context, the JS one as the fallback. */
export async function sha256HexBytes(data: Uint8Array | ArrayBuffer): Promise<string> {
  const subtle = subtleOrNull();
  if (subtle) {
    try {
      const view = data instanceof Uint8Array ? data : new Uint8Array(data);
      return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', view as Uint8Array<ArrayBuffer>)));
    } catch {
      // Some embedded browsers expose subtle but refuse digest: fall through to JS.
    }
  }
  return sha256Hex(data);
}

/** For tests: which implementation sha256HexBytes uses here. */
export function photoHashImpl(): 'webcrypto' | 'js' {
  return subtleOrNull() ? 'webcrypto' : 'js';
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
