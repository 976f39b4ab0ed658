/**
 * Periods of an indicators file (DESIGN.md: one format per file, ordered by time): parsed in JS
 * with src/core/periods.ts over the distinct labels, then applied to the validated rows in SQL
 * through a small mapping table. Labels are written canonically (`2024q3` → `2024Q3`) so one
 * period is one value; `period_index` is the 0-based position in the file's sorted periods.
 */
import { Bool, Int32, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { type Connector } from '../db/connector.ts';
import { quoteIdent } from '../sql/ident.ts';
import { checkPeriods, parsePeriod, type ParsedPeriod, type PeriodFormat } from '../core/periods.ts';
import { FileProblemError } from './errors.ts';

const EXAMPLE: Record<PeriodFormat, string> = { quarter: 'quarters like 2024Q3', month: 'months like 2024-09', year: 'years like 2024' };

export function canonicalPeriod(p: ParsedPeriod): string {
  const year = Math.floor(p.ordinal / 12);
  const month = p.ordinal % 12;
  if (p.format === 'quarter') return `${year}Q${month / 3 + 1}`;
  if (p.format === 'month') return `${year}-${String(month + 1).padStart(2, '0')}`;
  return String(year);
}

/**
 * Mark rows with unparseable periods as failing check `badK`, reject mixed formats (a file
 * problem naming the first line of the odd one out), canonicalise labels, and create
 * `periodsTable(p, canon, period_index, ok)`. Returns the sorted canonical periods.
 */
export async function applyPeriods(conn: Connector, chk: string, periodsTable: string, badK: number): Promise<string[]> {
  const labels = await conn.query<{ p: string; first: number }>(
    `SELECT period AS p, min(__bp_line) AS first FROM ${quoteIdent(chk)} WHERE __bp_k IS NULL GROUP BY 1 ORDER BY 2`,
  );
  const parsed = labels.map((l) => ({ ...l, parsed: parsePeriod(l.p) }));
  const good = parsed.filter((l) => l.parsed !== null);
  const check = checkPeriods(good.map((l) => l.p));
  if (!check.ok && check.reason === 'mixed') {
    const odd = good[check.index];
    const fmt = odd.parsed!.format;
    throw new FileProblemError(
      `period "${odd.p}" is one of ${EXAMPLE[fmt]}, but earlier rows use ${EXAMPLE[check.expected!]} (line ${good[0].first}); use one period format per file`,
      odd.first,
    );
  }
  const canon = parsed.map((l) => (l.parsed ? canonicalPeriod(l.parsed) : null));
  const ordinals = new Map<string, number>();
  parsed.forEach((l, i) => {
    if (l.parsed) ordinals.set(canon[i]!, l.parsed.ordinal);
  });
  const sorted = [...ordinals.keys()].sort((a, b) => ordinals.get(a)! - ordinals.get(b)!);
  const index = new Map(sorted.map((c, i) => [c, i]));
  const t = new Table({
    p: vectorFromArray(parsed.map((l) => l.p), new Utf8()),
    canon: vectorFromArray(canon, new Utf8()),
    period_index: vectorFromArray(canon.map((c) => (c === null ? null : index.get(c)!)), new Int32()),
    ok: vectorFromArray(parsed.map((l) => l.parsed !== null), new Bool()),
  });
  if (parsed.length > 0) await conn.insertArrowIPC(periodsTable, tableToIPC(t, 'stream'));
  else await conn.exec(`CREATE TABLE ${quoteIdent(periodsTable)} (p VARCHAR, canon VARCHAR, period_index INTEGER, ok BOOLEAN)`);
  const c = quoteIdent(chk);
  const pt = quoteIdent(periodsTable);
  await conn.exec(`UPDATE ${c} SET __bp_k = ${badK} WHERE __bp_k IS NULL AND period IN (SELECT p FROM ${pt} WHERE NOT ok);
    UPDATE ${c} SET period = m.canon FROM ${pt} AS m WHERE ${c}.period = m.p AND m.ok AND ${c}.__bp_k IS NULL`);
  return sorted;
}

