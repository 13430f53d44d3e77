/**
 * Errors of the domain rules (frozen records, stale signatures, …) carry a CODE, never words for
 * a person: the screens translate the code in both languages (src/i18n/messages/errors.ts), so
 * no English sentence ever shows inside Chinese UI text. `detail` is for logs and tests only.
 * The server answers a refused mutation with the code too (`reason` starts with it).
 */
export const DOMAIN_ERROR_CODES = [
  'record.notFound',
  'record.frozen',
  'record.stale',
  'record.openConflicts',
  /** Signing refused: the record has readiness gaps (readinessIssues); detail lists their keys. */
  'record.incomplete',
  'record.notSigned',
  'intake.notSigned',
  'handover.customerSignature',
  'mutation.invalidArgs',
  'mutation.unknown',
  'mutation.forbidden',
  /** An appointment status change its rules do not allow (an arrival is final). */
  'appointment.status',
  /** The tablet's storage is full (IndexedDB QuotaExceededError): nothing was written. */
  'storage.full',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly detail = '',
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'DomainError';
  }
}

export function isDomainError(e: unknown, code?: DomainErrorCode): e is DomainError {
  return e instanceof DomainError && (code === undefined || e.code === code);
}
