import { describe, expect, it } from 'vitest';
import { normalisePlate, plateKind, vehicleSchema, vinCheckDigitOk } from '../../src/model/intake/vehicle';
import { customerSchema } from '../../src/model/intake/customer';

describe('plates', () => {
  it.each([
    ['京A12345', 'standard'],
    ['粤B·1234X', 'standard'],
    ['沪a 8z9k3', 'standard'],
    ['苏E1234学', 'coach'],
    ['京A12345学', 'coach'],
    ['鲁B1234挂', 'trailer'],
    ['京A0123警', 'police'],
    ['沪A1234领', 'consulate'],
    ['粤Z1234港', 'hk-macau'],
    ['粤Z12A4澳', 'hk-macau'],
    ['京A1234港', 'other'],
    ['赣A1234应急', 'emergency'],
    ['京X12345应急', 'emergency'],
    ['使014578', 'embassy'],
    ['使A12345', 'other'],
    ['粤BD12345', 'new-energy'],
    ['京AFA1234', 'new-energy'],
    ['京AF0A123', 'other'],
    ['沪A12345D', 'new-energy'],
    ['AB1234', 'other'],
    ['', 'invalid'],
    ['!!', 'invalid'],
  ])('%s is %s', (plate, kind) => {
    expect(plateKind(plate)).toBe(kind);
  });

  it('normalises spaces, dots and case', () => {
    expect(normalisePlate(' 粤b·d1 2345 ')).toBe('粤BD12345');
  });

  const base = { plateOther: false, vin: 'LSVAU2180N2183294', make: '大众', model: '帕萨特', year: 2022, colour: '白' };
  it('accepts a mainland plate and refuses a foreign one unless ticked', () => {
    expect(vehicleSchema.safeParse({ ...base, plate: '京A12345' }).success).toBe(true);
    const r = vehicleSchema.safeParse({ ...base, plate: 'AB1234' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('plate.notMainland');
    expect(vehicleSchema.safeParse({ ...base, plate: 'AB1234', plateOther: true }).success).toBe(true);
  });

  it('accepts the special mainland plates without "other plate format"', () => {
    for (const plate of ['京A12345学', '粤Z1234港', '粤Z1234澳', '京A0123警', '沪A1234领', '鲁B1234挂', '赣A1234应急', '使014578'])
      expect(vehicleSchema.safeParse({ ...base, plate }).success, plate).toBe(true);
  });

  it('says an empty plate is required, not malformed', () => {
    const r = vehicleSchema.safeParse({ ...base, plate: '' });
    expect(r.error?.issues.map((i) => i.message)).toEqual(['required']);
  });
});

describe('VIN', () => {
  it('checks the ISO 3779 check digit', () => {
    expect(vinCheckDigitOk('1M8GDM9AXKP042788')).toBe(true); // the classic example VIN
    expect(vinCheckDigitOk('1M8GDM9A1KP042788')).toBe(false);
    expect(vinCheckDigitOk('11111111111111111')).toBe(true);
  });
  it('refuses wrong length and I/O/Q', () => {
    const base = { plate: '京A12345', plateOther: false, make: 'a', model: 'b', year: null, colour: '' };
    expect(vehicleSchema.safeParse({ ...base, vin: 'ABC' }).error?.issues[0]?.message).toBe('vin.length');
    expect(vehicleSchema.safeParse({ ...base, vin: '1M8GDM9AXKP04278O' }).error?.issues[0]?.message).toBe('vin.chars');
    // a failed check digit is only a warning: the schema accepts it
    expect(vehicleSchema.safeParse({ ...base, vin: '1M8GDM9A1KP042788' }).success).toBe(true);
  });
});

describe('customer', () => {
  it.each([
    ['13812345678', true],
    ['138 1234 5678', true],
    ['+85291234567', true],
    ['12812345678', false],
    ['1381234567', false],
  ])('mobile %s valid=%s', (mobile, ok) => {
    expect(customerSchema.safeParse({ name: '王', salutation: '王先生', mobile }).success).toBe(ok);
  });
});
