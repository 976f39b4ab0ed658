import { defineMessages } from './define.ts';

/** Strings of the share workflow (en, zh-CN). */
export const shareMessages = defineMessages(
  {
  },
  {
  },
);
