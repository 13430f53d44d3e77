import { describe, expect, it } from 'vitest';
import { setAtPath } from '../../src/ui/useAutosaveForm';

describe('setAtPath (how a form field change reaches the autosaved value)', () => {
  it('replaces one top-level field and copies the object', () => {
    const before = { name: '王', mobile: '138' };
    const after = setAtPath(before, 'name', '王小明');
    expect(after).toEqual({ name: '王小明', mobile: '138' });
    expect(before).toEqual({ name: '王', mobile: '138' });
  });

  it('replaces a field inside an array item, copying only the path to it', () => {
    const items = [{ itemId: 'a', description: '' }, { itemId: 'b', description: '' }];
    const before = { reminded: true, items };
    const after = setAtPath(before, 'items.1.description', '笔记本电脑');
    expect(after).toEqual({ reminded: true, items: [{ itemId: 'a', description: '' }, { itemId: 'b', description: '笔记本电脑' }] });
    expect(Array.isArray(after.items)).toBe(true);
    expect(after.items[0]).toBe(items[0]);
    expect(before.items[1]?.description).toBe('');
  });
});
