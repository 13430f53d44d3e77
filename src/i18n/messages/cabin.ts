import { defineMessages } from '../defineMessages';

// zh-CN first; the English table must carry the same keys (compile error otherwise).
export default defineMessages(
  {
    title: '车内检查',
    consent: '已征得顾客同意检查车内',
    noConsent: '未征得顾客同意：车内项目不检查（仪表读数仍需记录）。',
    dashboard: '仪表读数',
    items: '唱检项目',
    allOk: '其余全部正常',
    progress: '已检 {done}/{total} 项 · 有问题 {issues} 项',
    resultFor: '{item}：检查结果',
    ok: '正常',
    issue: '有问题',
    noteFor: '{item}：问题说明',
    notePlaceholder: '如：空调不制冷、左后车窗升降异响',
    photoAlt: '车内 {item}',
    addPhoto: '拍照：{item}',
  },
  {
    title: 'Cabin check',
    consent: "Customer's consent to check the cabin",
    noConsent: 'No consent: cabin items are not checked (still record the dashboard readings).',
    dashboard: 'Dashboard readings',
    items: 'Items (call out each result)',
    allOk: 'All remaining OK',
    progress: 'Checked {done}/{total} · Issues {issues}',
    resultFor: '{item}: result',
    ok: 'OK',
    issue: 'Issue',
    noteFor: '{item}: describe the issue',
    notePlaceholder: 'e.g. A/C not cooling, rear left window noisy',
    photoAlt: 'Cabin {item}',
    addPhoto: 'Photo: {item}',
  },
);
