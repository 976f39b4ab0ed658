/**
 * The UI's language. Every visible string goes through `t`, so switching the locale
 * re-renders all text. The default follows the browser language; a user's choice persists.
 */
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';
import { importMessages } from './import.ts';
import { riskMessages } from './risk.ts';
import { hotspotsMessages } from './hotspots.ts';
import { sitesMessages } from './sites.ts';
import { shareMessages } from './share.ts';
import { format } from './format.ts';

export { format };

export type Locale = 'zh-CN' | 'en';

const bundles = [importMessages, riskMessages, hotspotsMessages, sitesMessages, shareMessages] as const;
type KeysOf<B> = B extends { en: infer E } ? keyof E & string : never;
type BundleKey = KeysOf<(typeof bundles)[number]>;
export type MessageKey = keyof typeof en | BundleKey;

const dictionaries = {
  en: Object.assign({}, en, ...bundles.map((b) => b.en)),
  'zh-CN': Object.assign({}, zhCN, ...bundles.map((b) => b['zh-CN'])),
} as Record<Locale, Record<MessageKey, string>>;
const STORAGE_KEY = 'bp.locale';

/** zh, zh-CN, zh-TW ... → zh-CN; anything else → en. */
export function localeFromLanguages(languages: readonly string[]): Locale {
  return languages.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

function initialLocale(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return typeof navigator !== 'undefined' ? localeFromLanguages(navigator.languages ?? [navigator.language]) : 'en';
}

export const i18n = $state({ locale: initialLocale() as Locale });

export function setLocale(locale: Locale): void {
  i18n.locale = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}


/** Translate a key in the current locale. Reading `i18n.locale` makes callers reactive. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return format(dictionaries[i18n.locale][key] ?? dictionaries.en[key] ?? key, params);
}

/** Pick the right text from a `{ 'zh-CN': ..., en: ... }` record that came with data. */
export function localized(text: Partial<Record<Locale, string>> | string | undefined): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[i18n.locale] ?? text.en ?? text['zh-CN'] ?? '';
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** Numbers in the user's locale. */
export function formatNumber(x: number, maxFractionDigits = 2): string {
  if (!Number.isFinite(x)) return '—';
  // Constructing an Intl.NumberFormat costs ~0.1 ms; tables of hundreds of numbers that
  // update on every slider move would spend most of a frame on it, so keep one per format.
  const key = `${i18n.locale}|${maxFractionDigits}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(i18n.locale, { maximumFractionDigits: maxFractionDigits })));
  return f.format(x);
}
