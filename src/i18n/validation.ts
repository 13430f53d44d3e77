import { defineMessages } from './defineMessages';

/** Messages for the zod issue codes used by the shared schemas (src/shared/schema). */
export default defineMessages(
  {
    required: '必填',
    'plate.invalid': '车牌格式不正确',
    'plate.notMainland': '不是大陆车牌格式；如确为其他号牌，请勾选“其他号牌”',
    'vin.length': 'VIN 必须为 17 位',
    'vin.chars': 'VIN 只能包含数字和字母（不含 I、O、Q）',
    'vin.checkDigit': 'VIN 校验位不符，请核对（仍可保存）',
    'mobile.invalid': '手机号格式不正确（11 位，或以 + 开头的国际号码）',
    'year.range': '年份不在合理范围',
    invalid: '输入无效',
  },
  {
    required: 'Required',
    'plate.invalid': 'Plate number is not valid',
    'plate.notMainland': 'Not a mainland plate format; tick "other plate format" if this is correct',
    'vin.length': 'VIN must be 17 characters',
    'vin.chars': 'VIN may only contain digits and letters (no I, O, Q)',
    'vin.checkDigit': 'VIN check digit does not match; please verify (can still be saved)',
    'mobile.invalid': 'Mobile number is not valid (11 digits, or international starting with +)',
    'year.range': 'Year is out of range',
    invalid: 'Invalid input',
  },
);
