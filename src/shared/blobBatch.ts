/**
 * Several photos in one request: the body of `POST /api/blobs/batch`, shared by tablet and server.
 *
 * Why not one PUT per photo: a backlog of 500 photos was 500 requests, and the per-request cost
 * (in the browser's network stack as much as in the server) was a third of the upload time. Why
 * not multipart: it needs a boundary scan over every byte and a parser on the server; a
 * length-prefixed frame is read by slicing.
 *
 * Frame (Content-Type BLOB_BATCH_TYPE):
 *
 *   uint32 big-endian  H = length of the header in bytes (≤ MAX_BATCH_HEADER_BYTES)
 *   H bytes            UTF-8 JSON header {"blobs":[{"sha256","type","size"}, …]}
 *   the bytes of each blob, concatenated in the header's order (sizes as the header says)
 *
 * The tablet builds it with blobBatchBody; the server reads it as it arrives
 * (src/server/blobs/batchReader.ts), checks the frame as a whole (400 when it does not add up) and
 * then each photo on its own (hash, declared type, real type from the bytes): a bad photo is refused with its reason in
 * the answer, the good ones are stored. The answer lists every photo in the header's order.
 */
import { z } from 'zod';
import { SHA256_HEX } from './sha256';
import { ACCEPTED_IMAGE_TYPES, MAX_BLOB_BYTES } from './protocol';

export const BLOB_BATCH_TYPE = 'application/vnd.walkaround.blob-batch';
/** Photos one batch may carry. */
export const MAX_BATCH_BLOBS = 64;
/** A whole batch body: two of the largest single photos fit, so any photo can go in a batch. */
export const MAX_BATCH_BYTES = 2 * MAX_BLOB_BYTES;
export const MAX_BATCH_HEADER_BYTES = 64 * 1024;

export const blobBatchHeaderSchema = z.object({
  blobs: z
    .array(
      z.object({
        sha256: z.string().regex(SHA256_HEX, 'a lowercase hex SHA-256'),
        /** Declared type; checked against ACCEPTED_IMAGE_TYPES per photo (a wrong one refuses that photo only). */
        type: z.string().max(100),
        size: z.number().int().min(1).max(MAX_BLOB_BYTES),
      }),
    )
    .min(1)
    .max(MAX_BATCH_BLOBS)
    .refine((b) => new Set(b.map((x) => x.sha256)).size === b.length, 'each photo at most once per batch'),
});
export type BlobBatchHeader = z.infer<typeof blobBatchHeaderSchema>;

/** stored: new for this dealership; already: it held these bytes before; refused: see error/message. */
export const blobBatchResultSchema = z.object({
  sha256: z.string(),
  status: z.enum(['stored', 'already', 'refused']),
  /** For refused: the same codes a single PUT answers (unsupported_media_type, hash_mismatch, not_an_image, type_mismatch). */
  error: z.string().optional(),
  message: z.string().optional(),
});
export const blobBatchResponseSchema = z.object({ results: z.array(blobBatchResultSchema) });
export type BlobBatchResult = z.infer<typeof blobBatchResultSchema>;
export type BlobBatchResponse = z.infer<typeof blobBatchResponseSchema>;

export interface BatchBlob {
  sha256: string;
  type: string;
  bytes: Uint8Array;
}

/** The frame's start: the header's length and the header (the photos' bytes follow it). */
function batchPrefix(items: readonly BatchBlob[]): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ blobs: items.map((b) => ({ sha256: b.sha256, type: b.type, size: b.bytes.byteLength })) } satisfies BlobBatchHeader));
  const out = new Uint8Array(4 + header.byteLength);
  new DataView(out.buffer).setUint32(0, header.byteLength, false);
  out.set(header, 4);
  return out;
}

/**
 * The same body as a Blob over the photos' own buffers, for fetch: the browser copies each part
 * once, natively, and streams the request from it. Building the body in JS first and handing
 * fetch an array cost the page two more copies of every byte (measured in the photo bench).
 */
export function blobBatchBody(items: readonly BatchBlob[]): Blob {
  return new Blob([batchPrefix(items) as Uint8Array<ArrayBuffer>, ...items.map((b) => b.bytes as Uint8Array<ArrayBuffer>)], { type: BLOB_BATCH_TYPE });
}

/** The header's length as the frame's first 4 bytes say it, or why it is not one. */
export function batchHeaderLength(first4: Uint8Array): { ok: true; length: number } | { ok: false; reason: string } {
  const h = new DataView(first4.buffer, first4.byteOffset, 4).getUint32(0, false);
  if (h === 0 || h > MAX_BATCH_HEADER_BYTES) return { ok: false, reason: `the header length must be 1–${MAX_BATCH_HEADER_BYTES} bytes` };
  return { ok: true, length: h };
}

/** The header's bytes as the photos it lists, or why they are not the schema's. */
export function parseBatchHeader(bytes: Uint8Array): { ok: true; blobs: BlobBatchHeader['blobs'] } | { ok: false; reason: string; issues?: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, reason: 'the header is not UTF-8 JSON' };
  }
  const parsed = blobBatchHeaderSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'the header does not match the schema', issues: parsed.error.issues };
  return { ok: true, blobs: parsed.data.blobs };
}

/** The reason a frame whose header lists `need` bytes of photos, with `follow` bytes after the header, does not add up. */
export const sizesMismatch = (need: number, follow: number): string => `the header's sizes add up to ${need} bytes but ${follow} follow it`;

/** Whether a declared type is one the server stores (the batch header carries any string). */
export function acceptedImageType(type: string): boolean {
  return (ACCEPTED_IMAGE_TYPES as readonly string[]).includes(type);
}
