/**
 * What a screen shows for a failed write: the domain error's code, translated; never an error's
 * English text. Takes the error itself, or its code as editors keep it (useAutosave's `error`).
 */
import { DOMAIN_ERROR_CODES, isDomainError, type DomainErrorCode } from '../model/domainError';
import type { TFunction } from './i18n';
import { errorKey } from './messages/errors';

const isCode = (v: unknown): v is DomainErrorCode => typeof v === 'string' && (DOMAIN_ERROR_CODES as readonly string[]).includes(v);

export function errorText(t: TFunction, e: unknown): string {
  if (isDomainError(e)) return t(errorKey(e.code));
  return t(isCode(e) ? errorKey(e) : 'errors.unknown');
}
