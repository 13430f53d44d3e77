/**
 * Domain errors reach the screen as their code, translated in both languages: every code has a
 * zh-CN and an English message, and no error's own (English) text is ever shown.
 */
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES, DomainError } from '../../src/model/domainError';
import { errorText } from '../../src/i18n/errorText';
import { translate, type TFunction } from '../../src/i18n/i18n';

const tOf = (lang: 'zh-CN' | 'en'): TFunction => (key, vars) => translate(lang, key, vars);

describe('domain error text', () => {
  it('has a message for every code in both languages', () => {
    for (const code of DOMAIN_ERROR_CODES) {
      const zh = errorText(tOf('zh-CN'), new DomainError(code, 'internal detail'));
      const en = errorText(tOf('en'), new DomainError(code, 'internal detail'));
      expect(zh, code).not.toMatch(/errors\.|internal detail|[A-Za-z]{4,}/);
      expect(en, code).not.toMatch(/errors\.|internal detail/);
      expect(en).not.toBe(zh);
    }
  });

  it('translates a code kept by an editor, and never shows an unexpected error’s text', () => {
    expect(errorText(tOf('zh-CN'), 'record.frozen')).toBe('该记录已签字，不能再修改');
    expect(errorText(tOf('en'), 'storage.full')).toBe('The tablet’s storage is full; nothing was saved');
    expect(errorText(tOf('zh-CN'), new Error('Intake x is signed and can no longer be changed'))).toBe('发生未知错误');
    expect(errorText(tOf('zh-CN'), 'unknown')).toBe('发生未知错误');
  });
});
