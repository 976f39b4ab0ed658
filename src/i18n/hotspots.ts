import { defineMessages } from './define.ts';

/** Strings of the hotspots workflow (en, zh-CN). */
export const hotspotsMessages = defineMessages(
  {
  },
  {
  },
);
