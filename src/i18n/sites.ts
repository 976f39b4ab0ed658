import { defineMessages } from './define.ts';

/** Strings of the sites workflow (en, zh-CN). */
export const sitesMessages = defineMessages(
  {
  },
  {
  },
);
