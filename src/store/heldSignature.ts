/**
 * The customer's signature between the customer signing and the advisor signing (issue 10).
 * Customer mode used to keep it in memory only: a reload in between (a tap on the browser's
 * reload, iOS reclaiming the tab) threw it away and the customer had to sign again. It is kept
 * here, on this tablet, beside the draft, until one of these:
 *
 * - the record is signed (the signature is then in the record itself);
 * - the content it covered changed (its contentHash no longer matches): it is dropped, and the
 *   screen says so, because a signature binds exactly what was shown;
 * - the advisor cancels the signing.
 *
 * Device state (kv), not the record: an unfinished signature is not synced to the server or to
 * other tablets, and it is wiped with the dealership's data when the tablet changes hands.
 */
import type { Signature } from '../model/intake/schema';
import { readDevice, updateDevice } from './device';

export async function heldSignature(intakeId: string): Promise<Signature | null> {
  return (await readDevice('heldSignatures'))[intakeId] ?? null;
}

export async function holdSignature(intakeId: string, signature: Signature): Promise<void> {
  await updateDevice('heldSignatures', (cur) => ({ ...cur, [intakeId]: signature }));
}

export async function dropHeldSignature(intakeId: string): Promise<void> {
  await updateDevice('heldSignatures', (cur) => {
    if (!(intakeId in cur)) return cur;
    const { [intakeId]: _, ...rest } = cur;
    return rest;
  });
}
