/**
 * Periods of indicator files (DESIGN.md data contract): `2024Q3`, `2024-09` or `2024`, one
 * format per file, ordered by time.
 */
export type PeriodFormat = 'quarter' | 'month' | 'year';

export interface ParsedPeriod {
  format: PeriodFormat;
  /** Sortable position in time: year·12 + month index (a quarter starts at its first month). */
  ordinal: number;
}

const QUARTER = /^(\d{4})\s*[Qq]([1-4])$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const YEAR = /^(\d{4})$/;

/** Chinese and dashed forms of a quarter (2024年第3季度, 2024年3季度, 2024年三季度, 2024-Q3) and a month (2024年9月). */
const QUARTER_ZH = /^(\d{4})\s*(?:年\s*第?\s*([1-4一二三四])\s*季度?|[-/]\s*[Qq]([1-4]))$/;
const MONTH_ZH = /^(\d{4})\s*年\s*(0?[1-9]|1[0-2])\s*月份?$/;
const YEAR_ZH = /^(\d{4})\s*年度?$/;
const ZH_DIGIT: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4 };

/**
 * Parse one period label; null when it is none of the accepted formats: `2024Q3`, `2024-09`,
 * `2024`, and as exports write them (DESIGN.md › Real exports) 2024年第3季度, 2024年3季度,
 * 2024年三季度, 2024-Q3 (quarters), 2024年9月 (months), 2024年 (years). Full-width
 * digits are read as digits.
 */
export function parsePeriod(label: string): ParsedPeriod | null {
  const s = label.normalize('NFKC').trim();
  let m = QUARTER_ZH.exec(s);
  if (m) {
    const q = m[3] ? Number(m[3]) : (ZH_DIGIT[m[2]] ?? Number(m[2]));
    return { format: 'quarter', ordinal: Number(m[1]) * 12 + (q - 1) * 3 };
  }
  m = MONTH_ZH.exec(s);
  if (m) return { format: 'month', ordinal: Number(m[1]) * 12 + Number(m[2]) - 1 };
  m = YEAR_ZH.exec(s);
  if (m) return { format: 'year', ordinal: Number(m[1]) * 12 };
  m = QUARTER.exec(s);
  if (m) return { format: 'quarter', ordinal: Number(m[1]) * 12 + (Number(m[2]) - 1) * 3 };
  m = MONTH.exec(s);
  if (m) return { format: 'month', ordinal: Number(m[1]) * 12 + Number(m[2]) - 1 };
  m = YEAR.exec(s);
  if (m) return { format: 'year', ordinal: Number(m[1]) * 12 };
  return null;
}

export type PeriodCheck =
  | { ok: true; format: PeriodFormat | null; sorted: string[] }
  | { ok: false; index: number; label: string; reason: 'unparseable' | 'mixed'; expected?: PeriodFormat };

/**
 * Check the period labels of one file (in row order) and return the distinct periods sorted by
 * time. The first label fixes the format; a later label of another format is an error that
 * names its row index so callers can report the file line.
 */
export function checkPeriods(labels: readonly string[]): PeriodCheck {
  let format: PeriodFormat | null = null;
  const ordinals = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i].trim();
    const p = parsePeriod(label);
    if (!p) return { ok: false, index: i, label, reason: 'unparseable' };
    if (format === null) format = p.format;
    else if (p.format !== format) return { ok: false, index: i, label, reason: 'mixed', expected: format };
    ordinals.set(label, p.ordinal);
  }
  const sorted = [...ordinals.keys()].sort((a, b) => ordinals.get(a)! - ordinals.get(b)!);
  return { ok: true, format, sorted };
}
