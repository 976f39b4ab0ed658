import { defineMessages } from './define.ts';

/** Strings of the import workflow (en, zh-CN). */
export const importMessages = defineMessages(
  {
  },
  {
  },
);
