import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { getIntake, startIntake, unsavedIntake, updateSection } from '../../src/store/intakeWrites';

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

describe('"+ 新建接车" stores nothing until the first write', () => {
  it('an opened, untouched new intake leaves no record and no outbox entry', async () => {
    const id = startIntake({ id: 'sa', name: 'SA' });
    expect(unsavedIntake(id)?.status).toBe('draft');
    expect(await getDb().intakes.count()).toBe(0);
    expect(await getDb().outbox.count()).toBe(0);
    expect(await getDb().summaries.count()).toBe(0);
  });

  it('the first write creates it (create + patch), once, even when two sections write at the same moment', async () => {
    const id = startIntake({ id: 'sa', name: 'SA' });
    const draft = unsavedIntake(id)!;
    await Promise.all([
      updateSection(id, 'customer', { ...draft.customer, name: '王小明' }),
      updateSection(id, 'vehicle', { ...draft.vehicle, plate: '京A12345' }),
    ]);
    const stored = await getIntake(id);
    expect(stored).toMatchObject({ id, customer: { name: '王小明' }, vehicle: { plate: '京A12345' } });
    expect(await getDb().intakes.count()).toBe(1);
    const ops = (await getDb().outbox.toArray()).map((e) => e.mutation.op);
    expect(ops.filter((op) => op === 'create')).toHaveLength(1);
    expect(ops.filter((op) => op === 'patch')).toHaveLength(2);
    expect(unsavedIntake(id)).toBeUndefined();
  });
});
