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
