/**
 * Domain error codes (src/model/domainError.ts) in both languages: screens show these, never an
 * error's English text. Keys are the codes with '.' replaced by '_' (see errorKey).
 */
import { defineMessages } from '../defineMessages';
import type { DomainErrorCode } from '../../model/domainError';

type Underscored<S extends string> = S extends `${infer A}.${infer B}` ? `${A}_${B}` : S;
type ErrorMessageKey = Underscored<DomainErrorCode> | 'unknown';

/** Typed by the codes: a code without a message is a compile error. */
const zh: Record<ErrorMessageKey, string> = {
  record_notFound: '未找到该记录',
  record_frozen: '该记录已签字，不能再修改',
  record_stale: '内容在显示后已改动，请重新核对后再签字',
  record_openConflicts: '有内容在另一台平板上同时被修改，请先处理冲突再签字',
  record_incomplete: '记录尚未完整，不能签字：请先补全确认页列出的项目',
  record_notSigned: '只有已签字的记录才能补充说明',
  intake_notSigned: '接车单尚未签字',
  handover_customerSignature: '交车需要客户签字',
  mutation_invalidArgs: '填写的内容无效',
  mutation_unknown: '未知的操作',
  mutation_forbidden: '当前员工无权执行此操作',
  appointment_status: '该预约的状态不能这样更改（已到店的预约不能再更改）',
  storage_full: '平板存储已满，未能保存',
  unknown: '发生未知错误',
};

export default defineMessages(zh, {
  record_notFound: 'Record not found',
  record_frozen: 'This record is signed and can no longer be changed',
  record_stale: 'The content changed after it was shown; review it again before signing',
  record_openConflicts: 'Something was changed on another tablet at the same time; resolve the conflict before signing',
  record_incomplete: 'The record is not complete and cannot be signed: finish the items listed on the review step first',
  record_notSigned: 'Only a signed record takes amendments',
  intake_notSigned: 'The intake is not signed yet',
  handover_customerSignature: 'The customer must sign the handover',
  mutation_invalidArgs: 'What was entered is not valid',
  mutation_unknown: 'Unknown operation',
  mutation_forbidden: 'The current staff member may not do this',
  appointment_status: 'This appointment’s status cannot be changed that way (an arrival is final)',
  storage_full: 'The tablet’s storage is full; nothing was saved',
  unknown: 'An unexpected error occurred',
});

/** The message key of a domain error code; every code has one (compile-checked). */
export function errorKey(code: DomainErrorCode): `errors.${ErrorMessageKey}` {
  return `errors.${code.replace('.', '_') as Underscored<DomainErrorCode>}`;
}
