/** The storable-text primitives (src/model/text.ts) and what a form shows for them. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { boundedRecord, dateOrEmpty, isoTime, isStorableText, LIMITS, storableCopy, storableText, uuidText } from '../../src/model/text';
import { customerSchema } from '../../src/model/intake/customer';
import { intakeSchema } from '../../src/model/intake/schema';
import { newIntake } from '../../src/model/intake/newIntake';
import { translateIssue } from '../../src/i18n/i18n';

describe('storable text', () => {
  it.each([
    ['王芳', true],
    ['👩‍🔧🚗 emoji pairs', true],
    ['مرحبا\u202e RTL', true],
    ['王\u0000芳', false],
    ['ab\ud83d', false],
    ['\udc00x', false],
    ['\ud83d\ud83d', false],
  ])('%j storable: %s', (s, ok) => {
    expect(isStorableText(s)).toBe(ok);
    expect(storableText(100).safeParse(s).success).toBe(ok);
    expect(isStorableText(storableCopy(s))).toBe(true);
  });

  it('bounds length, map keys and key count; dates 2000-2100; uuids in lower case', () => {
    expect(storableText(3).safeParse('abcd').error?.issues[0]?.message).toBe('text.tooLong');
    const map = boundedRecord(z.number(), 2);
    expect(map.safeParse({ a: 1, b: 2 }).success).toBe(true);
    expect(map.safeParse({ a: 1, b: 2, c: 3 }).error?.issues[0]?.message).toBe('map.tooMany');
    expect(map.safeParse({ 'a\u0000': 1 }).success).toBe(false);
    expect(isoTime.safeParse('2026-03-01T08:00:00+08:00').success).toBe(true);
    expect(isoTime.safeParse('9999-12-31T00:00:00Z').success).toBe(false);
    expect(isoTime.safeParse('1999-12-31T23:59:59Z').success).toBe(false);
    expect(dateOrEmpty.safeParse('').success).toBe(true);
    expect(dateOrEmpty.safeParse('2101-01-01').success).toBe(false);
    expect(uuidText.parse('A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D')).toBe('a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d');
  });

  it('the record schema refuses more than the lane limits', () => {
    const it0 = newIntake({ advisor: { id: 'a1', name: '王芳' } });
    const items = Array.from({ length: LIMITS.valuables + 1 }, (_, i) => ({ itemId: `v${i}`, answer: null, description: '' }));
    expect(intakeSchema.safeParse({ ...it0, valuables: { reminded: true, items } }).success).toBe(false);
    expect(intakeSchema.safeParse({ ...it0, customer: { ...it0.customer, name: '王\u0000芳' } }).success).toBe(false);
    expect(intakeSchema.safeParse(it0).success).toBe(true);
  });

  it('the form says why in zh-CN and English', () => {
    const r = customerSchema.safeParse({ name: '王\u0000芳', salutation: '', mobile: '13800138000' });
    const msg = r.error?.issues.find((i) => i.path[0] === 'name')?.message;
    expect(msg).toBe('text.unstorable');
    expect(translateIssue('zh-CN', msg)).toContain('无法保存的字符');
    expect(translateIssue('en', msg)).toContain('cannot be saved');
    expect(translateIssue('zh-CN', customerSchema.safeParse({ name: 'x'.repeat(61), salutation: '', mobile: '13800138000' }).error?.issues[0]?.message)).toBe('内容过长');
  });
});
