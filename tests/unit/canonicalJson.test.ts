import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/shared/canonicalJson';
import { sha256Hex } from '../../src/shared/sha256';

describe('canonicalJson (RFC 8785 style)', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: { d: [3, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"y":2,"z":1}]}}'],
    [{ s: 'línea\n"q"', e: '' }, '{"e":"","s":"línea\\n\\"q\\""}'],
    [{ n: 1.0, m: -0, big: 1e21, small: 0.000001 }, '{"big":1e+21,"m":0,"n":1,"small":0.000001}'],
    [{ u: undefined, t: true, f: false }, '{"f":false,"t":true}'],
    [[undefined, 1], '[null,1]'],
    ['中文', '"中文"'],
  ])('%j → %s', (input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  it('is independent of key insertion order', () => {
    const a = { x: 1, y: { p: [1, 2], q: 'a' } };
    const b = { y: { q: 'a', p: [1, 2] }, x: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('sorts keys by UTF-16 code units', () => {
    expect(canonicalJson({ '\u00e9': 1, z: 2, A: 3 })).toBe('{"A":3,"z":2,"é":1}');
  });

  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: Infinity })).toThrow(TypeError);
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('hashes bytes and strings the same', () => {
    expect(sha256Hex(new TextEncoder().encode('接车'))).toBe(sha256Hex('接车'));
  });
});
