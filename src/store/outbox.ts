/**
 * The one builder of outbox entries. Only the store writes the outbox when a record changes
 * (src/store/mutate.ts), in the same transaction as the record (SYNC.md #1).
 */
import type { OutboxEntry } from './db';
import type { KindName } from '../model/registry';
import type { Mutation } from '../shared/protocol';

export function outboxEntry(mutation: Mutation, kind: KindName, recordId: string, key: OutboxEntry['section']): OutboxEntry {
  return {
    mutationId: mutation.id,
    intakeId: mutation.intakeId,
    kind,
    recordId,
    op: mutation.op,
    section: key,
    mutation,
    state: 'pending',
    createdAt: mutation.at,
    attempts: 0,
    lastError: null,
  };
}

/** The lastError of a signature held back for its photos: waiting, not failing. */
export const WAITING_FOR_PHOTOS = 'waiting for photos';

/**
 * An entry the server has not taken yet and is not expected to take on the next try: stuck
 * (5xx again and again, see sync/pushOutbox.ts) or refused "for now" (retry: intake not there
 * yet, another staff member's change). It stays in the outbox and is sent again.
 */
export function isWaitingOnServer(e: OutboxEntry): boolean {
  return e.state === 'stuck' || (e.state === 'pending' && e.attempts > 0 && !!e.lastError && e.lastError !== WAITING_FOR_PHOTOS);
}
