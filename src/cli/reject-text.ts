/**
 * Reject reasons as the CLI prints them (`validate`'s table, `--rejects`): from the reason code
 * and its parameters, in the language of `--lang` (en by default), with the same dictionaries as
 * the browser (src/i18n/import.ts), so the two never word a reason differently.
 */
import { reasonText } from '../data/reject-reasons.ts';
import type { RejectRow } from '../data/types.ts';
import { format } from '../i18n/format.ts';
import { importMessages } from '../i18n/import.ts';
import type { CliArgs } from './args.ts';

export const LANGS = ['en', 'zh-CN'] as const;
export type CliLang = (typeof LANGS)[number];

/** `--lang`, as every command that writes rejects reads it. */
export function cliLang(args: CliArgs): CliLang {
  return args.choice('lang', LANGS, 'en');
}

/** A reject's reason in `lang`. */
export function rejectSayer(lang: CliLang): (r: Pick<RejectRow, 'reason' | 'params'>) => string {
  const dict: Record<string, string> = importMessages[lang];
  return (r) => reasonText(r, (key, params) => format(dict[key] ?? key, params));
}
