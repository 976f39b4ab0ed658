import { defineMessages } from './define.ts';

/** Strings of the risk workflow (en, zh-CN). */
export const riskMessages = defineMessages(
  {
  },
  {
  },
);
