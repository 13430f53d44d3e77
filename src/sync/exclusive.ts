/**
 * Run `fn` while holding a named lock: the Web Locks API across the tabs of this origin where it
 * exists, else a promise chain in this page (tests, old browsers).
 *
 *  - `wait` (default): queue behind the holder. Used around a push and around a pull, which touch
 *    the same records: a pull page fetched before a push was acknowledged and applied after it
 *    would briefly put the older server value back; holding one lock for both keeps them apart.
 *  - `ifAvailable`: do not queue; resolve 'busy' when another holder has it (a whole sync lane:
 *    another tab is doing the same work).
 */
type Mode = 'wait' | 'ifAvailable';

const chains = new Map<string, Promise<unknown>>();
const held = new Set<string>();

function webLocks(): LockManager | undefined {
  if (typeof navigator === 'undefined') return undefined;
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return typeof locks?.request === 'function' ? locks : undefined;
}

/** Whether locks reach across tabs (else a lock only keeps this page's own work apart). */
export function hasWebLocks(): boolean {
  return webLocks() !== undefined;
}

export async function exclusive<T>(name: string, fn: () => Promise<T>, mode: Mode = 'wait'): Promise<T | 'busy'> {
  const locks = webLocks();
  if (locks) {
    if (mode === 'ifAvailable') return locks.request(name, { ifAvailable: true }, async (lock) => (lock ? fn() : 'busy')) as Promise<T | 'busy'>;
    return locks.request(name, () => fn()) as Promise<T>;
  }
  if (mode === 'ifAvailable') {
    if (held.has(name)) return 'busy';
    held.add(name);
    try {
      return await fn();
    } finally {
      held.delete(name);
    }
  }
  const before = chains.get(name) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(fn);
  const tail = run.catch(() => undefined);
  chains.set(name, tail);
  void tail.then(() => {
    if (chains.get(name) === tail) chains.delete(name);
  });
  return run;
}
