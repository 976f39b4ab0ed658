import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnector } from '../db/native-connector.ts';
import { STREAM_BUFFER, streamPointBatches, streamRowSlices } from './native-batches.ts';

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


  it(`reads ${STREAM_BUFFER} ahead, keeps a many-row-group file's rows in file order on two threads`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bp-stream-'));
    try {
      const two = await NativeConnector.create({ threads: 2 });
      try {
        const file = join(dir, 'rows.parquet');
        // 3M rows in row groups of 100k: DuckDB's threads read them in parallel
        await two.exec(`COPY (SELECT i::DOUBLE AS x FROM range(3000000) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 100000)`);
        let next = 0;
        let inOrder = true;
        for await (const slice of streamRowSlices(two.conn, `SELECT x FROM read_parquet('${file}')`, [], 1 << 20)) {
          const x = slice.column(0) as Float64Array;
          for (let i = 0; i < slice.take; i++) if (x[i] !== next++) inOrder = false;
        }
        expect(next).toBe(3_000_000);
        expect(inOrder).toBe(true);
      } finally {
        await two.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("puts DuckDB's default read-ahead back when a stream ends, read to the end or left early", async () => {
    const fresh = await NativeConnector.create();
    try {
      const setting = async () => (await fresh.query<{ v: string }>(`SELECT current_setting('streaming_buffer_size') AS v`))[0].v;
      const before = await setting();
      for await (const _ of streamRowSlices(fresh.conn, SQL, [], 3000)) void _;
      expect(await setting()).toBe(before);
      for await (const _ of streamRowSlices(fresh.conn, SQL, [], 3000)) break;
      expect(await setting()).toBe(before);
    } finally {
      await fresh.close();
    }
  });
});
