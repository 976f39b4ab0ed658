import { describe, expect, it } from 'vitest';
import { countsByCode, rejectsCsv, rejectsFileName } from './import-rejects.ts';
import type { FileReport, RejectRow } from './types.ts';
import { chineseReason, englishReason } from '../../test/fixtures/reason-text.ts';

const file = (rejectsByCode: FileReport['rejectsByCode']): FileReport => ({
  kind: 'customers', file: 'c.csv', format: 'csv', rowsRead: 0, rowsKept: 0, rowsRejected: 0, rejectsByCode,
  mapping: {}, extraColumns: [], crs: 'wgs84', warnings: [],
});

describe('rejects report helpers', () => {
  it('adds counts by reason over files, most frequent first', () => {
    expect(countsByCode([file({ not_a_number: 2, zero_zero: 1 }), file({ zero_zero: 3 })])).toEqual([
      { code: 'zero_zero', n: 4 },
      { code: 'not_a_number', n: 2 },
    ]);
    expect(countsByCode([])).toEqual([]);
  });

  it('writes file,line,column,reason,raw with RFC 4180 quoting and raw text unaltered but for a formula guard', () => {
    const rows: RejectRow[] = [
      { kind: 'customers', file: 'h.csv', line: 4, column: 'lon', reason: 'notNumber', params: { column: 'lon' }, code: 'not_a_number', raw: 'c3,not-a-number,31.3,"<b>bold</b>","${jndi:x}"' },
      { kind: 'areas', file: 'a.geojson', line: null, column: 'features[1].geometry', reason: 'noRings', params: { feature: 1 }, code: 'bad_geometry', raw: '{"area_id":"B"}' },
      { kind: 'customers', file: 'h.csv', line: 9, column: null, reason: 'ragged', params: { fields: 5, header: 4 }, code: 'ragged_row', raw: "=1+1,a\nb,'); DROP TABLE x; --" },
    ];
    const csv = rejectsCsv(rows, englishReason);
    expect(csv.startsWith('\uFEFFfile,line,column,reason,raw\n')).toBe(true);
    expect(csv).toContain('h.csv,4,lon,lon is not a number,"c3,not-a-number,31.3,""<b>bold</b>"",""${jndi:x}"""\n');
    expect(csv).toContain('a.geojson,,features[1].geometry,features[1]: polygon has no rings,"{""area_id"":""B""}"\n');
    expect(csv).toContain(`h.csv,9,,"row has 5 fields, the header has 4","'=1+1,a\nb,'); DROP TABLE x; --"\n`);
    expect(rejectsCsv([], englishReason, { bom: false })).toBe('file,line,column,reason,raw\n');
    // The reason in the language it is said in (the zh-CN download, `--lang zh-CN`).
    expect(rejectsCsv(rows.slice(0, 1), chineseReason, { bom: false })).toContain('h.csv,4,lon,lon 不是数字,');
  });

  it('guards every text field a spreadsheet would evaluate: file, column, reason and raw', () => {
    const row: RejectRow = {
      kind: 'sites', file: '=cmd.csv', line: 2, column: '@col', reason: 'notNumber', params: { column: '-bad' }, code: 'not_a_number', raw: '+1,x',
    };
    expect(rejectsCsv([row], englishReason, { bom: false })).toBe(`file,line,column,reason,raw\n'=cmd.csv,2,'@col,'-bad is not a number,"'+1,x"\n`);
  });

  it('names the download after the file', () => {
    expect(rejectsFileName([{ file: 'hostile strings.csv' }])).toBe('hostile_strings_rejects.csv');
    expect(rejectsFileName([{ file: '客户.csv' }])).toBe('客户_rejects.csv');
    expect(rejectsFileName([{ file: 'a.csv' }, { file: 'b.csv' }])).toBe('dataset_rejects.csv');
    expect(rejectsFileName([{ file: '<img src=x onerror=alert(1)>.csv' }])).toBe('img_src_x_onerror_alert_1_rejects.csv');
    expect(rejectsFileName([{ file: '<>.csv' }])).toBe('dataset_rejects.csv');
  });
});
