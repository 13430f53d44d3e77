import { defineMessages } from '../defineMessages';

// zh-CN first; the English table must carry the same keys (compile error otherwise).
export default defineMessages(
  {
    title: '接车单',
    newIntake: '新建接车',
    filterLabel: '筛选',
    filter_today: '今天',
    filter_drafts: '草稿',
    filter_signed: '已签字',
    filter_all: '全部',
    search: '搜索',
    searchPlaceholder: '车牌、客户姓名或手机号',
    empty: '没有符合条件的接车单',
    noPlate: '（未填车牌）',
    noName: '（未填姓名）',
    findings: '{n} 处损伤',
    more: '还有 {n} 条，请缩小搜索范围',
  },
  {
    title: 'Intakes',
    newIntake: 'New intake',
    filterLabel: 'Filter',
    filter_today: 'Today',
    filter_drafts: 'Drafts',
    filter_signed: 'Signed',
    filter_all: 'All',
    search: 'Search',
    searchPlaceholder: 'Plate, customer name or phone',
    empty: 'No intakes match',
    noPlate: '(no plate yet)',
    noName: '(no name yet)',
    findings: '{n, plural, one {# damage} other {# damages}}',
    more: '{n, plural, one {# more} other {# more}}: narrow the search',
  },
);
