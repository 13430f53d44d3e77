import { defineMessages } from '../defineMessages';

// zh-CN first; the English table must carry the same keys (compile error otherwise).
export default defineMessages(
  {
    title: '接车登记表 · 客户联',
    back: '返回',
    print: '打印',
    plate: '车牌',
    intakeNo: '登记号',
    createdAt: '接车时间',
    draftMark: '草稿 · 未签字 · 不作为交接凭证',
    signatures: '签字确认',
    signedAt: '签字时间',
    contentHash: '内容指纹',
    hashExplain: '内容指纹是签字内容的 SHA-256 摘要。签字后内容不可更改；任何更正以补充说明的形式附后，并注明所针对的指纹。',
    notSigned: '尚未签字。',
    amendments: '签字后补充说明',
    footer: '请妥善保管本客户联，交车时凭此核对车辆状况及委托保管物品。',
  },
  {
    title: 'Vehicle intake sheet · Customer copy',
    back: 'Back',
    print: 'Print',
    plate: 'Plate',
    intakeNo: 'Intake no.',
    createdAt: 'Received at',
    draftMark: 'DRAFT · NOT SIGNED · NOT VALID AS A HANDOVER RECORD',
    signatures: 'Signatures',
    signedAt: 'Signed at',
    contentHash: 'Content fingerprint',
    hashExplain: 'The content fingerprint is the SHA-256 digest of the signed content. Signed content cannot change; any correction is appended as an amendment naming the fingerprint it refers to.',
    notSigned: 'Not signed yet.',
    amendments: 'Amendments after signing',
    footer: 'Please keep this copy: at handover it is checked against the vehicle and any items held in safekeeping.',
  },
);
