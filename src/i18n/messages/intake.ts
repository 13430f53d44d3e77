import { defineMessages } from '../defineMessages';

// zh-CN first; the English table must carry the same keys (compile error otherwise).
export default defineMessages(
  {
    title: '接车登记',
    newIntake: '新接车',
    statusDraft: '草稿',
    statusSigned: '已签字',
    stepsNav: '接车步骤',
    stepCustomer: '客户与车辆',
    stepValuables: '三件套与贵重物品',
    stepCabin: '车内检查',
    stepWalkaround: '环车检查',
    stepWork: '维修建议',
    stepReview: '确认签字',
  },
  {
    title: 'Vehicle intake',
    newIntake: 'New intake',
    statusDraft: 'Draft',
    statusSigned: 'Signed',
    stepsNav: 'Intake steps',
    stepCustomer: 'Customer & vehicle',
    stepValuables: 'Protection & valuables',
    stepCabin: 'Cabin check',
    stepWalkaround: 'Walk-around',
    stepWork: 'Recommendations',
    stepReview: 'Review & sign',
  },
);
