import { defineMessages } from '../defineMessages';

// zh-CN first; the English table must carry the same keys (compile error otherwise).
export default defineMessages(
  {
    title: 'walkaround',
  },
  {
    title: 'walkaround',
  },
);
