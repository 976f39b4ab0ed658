import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeConnector } from '../db/native-connector.ts';
import { streamPointBatches, streamRowSlices } from './native-batches.ts';

// 5,000 rows cross DuckDB's 2,048-row chunks; batch sizes that split chunks and chunks that
// split batches must give every row once, in order, in batches filled exactly.
const ROWS = 5000;
const SQL = `SELECT i::DOUBLE AS lon, (-i)::DOUBLE AS lat, (i * 0.5)::DOUBLE AS s, (i % 7)::INTEGER AS g FROM range(${ROWS}) t(i) ORDER BY i`;

describe('streaming native DuckDB rows in batches', () => {
  let conn: NativeConnector;
  beforeAll(async () => void (conn = await NativeConnector.create()));
  afterAll(() => conn.close());

  for (const batchRows of [7, 2048, 3000, 8192]) {
    it(`batches of ${batchRows}: every row once, in order, each batch full but the last`, async () => {
      const sizes: number[] = [];
      const lon: number[] = [];
      const lat: number[] = [];
      const s: number[] = [];
      const g: number[] = [];
      for await (const b of streamPointBatches(conn.conn, SQL, [], 1, 1, batchRows)) {
        sizes.push(b.lon.length);
        lon.push(...b.lon);
        lat.push(...b.lat);
        s.push(...b.sums[0]);
        g.push(...b.groups[0]);
      }
      const want = Array.from({ length: ROWS }, (_, i) => i);
      expect(lon).toEqual(want);
      expect(lat).toEqual(want.map((i) => -i || 0));
      expect(s).toEqual(want.map((i) => i * 0.5));
      expect(g).toEqual(want.map((i) => i % 7));
      const full = Math.floor(ROWS / batchRows);
      expect(sizes).toEqual([...Array(full).fill(batchRows), ...(ROWS % batchRows ? [ROWS % batchRows] : [])]);
    });
  }

  it('slices say where in the batch they go and when it is full', async () => {
    let expectAt = 0;
    let rows = 0;
    let fulls = 0;
    for await (const slice of streamRowSlices(conn.conn, SQL, [], 3000)) {
      expect(slice.at).toBe(expectAt);
      expect(slice.full).toBe(slice.at + slice.take === 3000);
      expect(Array.from(slice.column(0) as Float64Array)[0]).toBe(rows);
      rows += slice.take;
      if (slice.full) fulls++;
      expectAt = slice.full ? 0 : slice.at + slice.take;
    }
    expect(rows).toBe(ROWS);
    expect(fulls).toBe(1);
  });
});
