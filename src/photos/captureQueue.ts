/**
 * Photos from the shutter into the store without making the advisor wait between shots.
 *
 * Each photo still gets the whole capture path (decode with EXIF orientation, resize, JPEG,
 * one hash, verified write: capturePhoto's steps), but photos no longer wait for each other:
 *
 *  - up to PROCESS_AT_ONCE photos are decoded and resized at once (the browser decodes and
 *    encodes off the main thread; a second one keeps both cores busy, a third only holds another
 *    12-MP bitmap in memory, which iOS limits);
 *  - saving is one at a time and in the order the photos were taken, overlapping the processing
 *    of the next ones, so `onStored` reports hashes in shutter order;
 *  - a photo that fails (cannot be decoded, storage full, does not verify) is reported and the
 *    others go on.
 *
 * Nothing here holds a transaction open across the image work: savePhoto hashes before its
 * transaction and verifies after it. A photo is safe once `onStored` ran for it; a tab closed
 * before then loses only the photos not yet stored (the record never refers to them).
 */
import { savePhoto } from '../store/photoStore';
import { processPhoto } from './processPhoto';

export const PROCESS_AT_ONCE = 2;

export interface CaptureQueueState {
  /** Photos taken and not yet stored or failed. */
  pending: number;
  /** Of those, being decoded/resized right now. */
  processing: number;
  /** Stored since the queue was made. */
  stored: number;
}

export interface CaptureQueueOptions {
  intakeId: () => string;
  onStored: (hash: string) => void;
  onError: (error: unknown) => void;
  onChange?: (state: CaptureQueueState) => void;
  processAtOnce?: number;
}

export interface CaptureQueue {
  /** Queue photos (in shutter order); returns at once. */
  add(files: readonly Blob[]): void;
  state(): CaptureQueueState;
  /** Resolves when every photo added so far is stored or has failed. */
  idle(): Promise<void>;
}

interface Job {
  file: Blob;
  intakeId: string;
  processed: Promise<Awaited<ReturnType<typeof processPhoto>>> | null;
}

export function createCaptureQueue(opts: CaptureQueueOptions): CaptureQueue {
  const limit = Math.max(1, opts.processAtOnce ?? PROCESS_AT_ONCE);
  const waiting: Job[] = []; // not started processing
  const inOrder: Job[] = []; // every pending job, shutter order
  const st: CaptureQueueState = { pending: 0, processing: 0, stored: 0 };
  let saving = false;
  let idleWaiters: (() => void)[] = [];
  const changed = () => {
    opts.onChange?.({ ...st });
    if (st.pending === 0) {
      const w = idleWaiters;
      idleWaiters = [];
      for (const f of w) f();
    }
  };

  function startProcessing(): void {
    while (st.processing < limit && waiting.length) {
      const job = waiting.shift()!;
      st.processing++;
      job.processed = processPhoto(job.file);
      // Settled either way: the next photo may start; the saver reads the outcome.
      void job.processed
        .catch(() => undefined)
        .finally(() => {
          st.processing--;
          startProcessing();
          changed();
        });
    }
  }

  async function saveInOrder(): Promise<void> {
    if (saving) return;
    saving = true;
    try {
      while (inOrder.length) {
        const job = inOrder[0]!;
        while (!job.processed) await new Promise((r) => setTimeout(r, 0)); // not started yet: its turn comes
        try {
          const p = await job.processed;
          const stored = await savePhoto({ intakeId: job.intakeId, ...p });
          st.stored++;
          inOrder.shift();
          st.pending--;
          opts.onStored(stored.hash);
        } catch (e) {
          inOrder.shift();
          st.pending--;
          opts.onError(e);
        }
        changed();
      }
    } finally {
      saving = false;
    }
  }

  return {
    add(files) {
      if (files.length === 0) return;
      const intakeId = opts.intakeId();
      for (const file of files) {
        const job: Job = { file, intakeId, processed: null };
        waiting.push(job);
        inOrder.push(job);
        st.pending++;
      }
      startProcessing();
      changed();
      void saveInOrder();
    },
    state: () => ({ ...st }),
    idle: () => (st.pending === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
  };
}
