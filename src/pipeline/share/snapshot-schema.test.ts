import { describe, expect, it } from 'vitest';
import { newSnapshotId, parseSnapshotFile, snapshotFile, validateSnapshotFile, type Snapshot } from './snapshot-schema.ts';
import { MAX_SLICE_CHARS } from './permalink.ts';

const good: Snapshot = {
  id: 'abc123',
  name: '宝山 risk <b>board</b>',
  createdAt: '2026-03-01T10:00:00.000Z',
  state: {
    camera: { center: [121.4, 31.3], zoom: 10, bearing: 0, pitch: 0 },
    tab: 'risk', indicator: 'population', period: '2025Q4', classMethod: 'quantile', classCount: 5,
    layers: { choropleth: true }, selectedAreaId: null, fingerprint: 'fp', slices: { risk: { w: 1 }, cust: { id: 'C1' } },
  },
  thumbnail: 'data:image/png;base64,iVBORw0KGgo=',
  thumbnailSafe: true,
};

describe('snapshot files', () => {
  it('round-trips through export and import', () => {
    const file = snapshotFile([good], { safe: false });
    const r = parseSnapshotFile(JSON.stringify(file));
    expect(r.errors).toEqual([]);
    expect(r.snapshots).toEqual([good]);
  });

  it('keeps names as plain text (they are rendered as text, never HTML)', () => {
    const r = validateSnapshotFile(snapshotFile([good], { safe: false }));
    expect(r.snapshots[0].name).toBe('宝山 risk <b>board</b>');
  });

  it('keeps the good snapshots of a file and reports each bad one', () => {
    const bad = [
      { ...good, id: '../../etc' },
      { ...good, thumbnail: 'javascript:alert(1)' },
      { ...good, thumbnail: 'data:image/svg+xml;base64,PHN2Zz4=' },
      { ...good, name: '' },
      { ...good, state: { ...good.state, camera: { center: [999, 0], zoom: 3, bearing: 0, pitch: 0 } } },
      { ...good, state: { ...good.state, classCount: '5' } },
      { ...good, state: { ...good.state, slices: { big: 'x'.repeat(MAX_SLICE_CHARS + 1) } } },
      'not an object',
    ];
    const r = validateSnapshotFile({ format: 'branch-planner-snapshots', version: 1, snapshots: [good, ...bad] });
    expect(r.snapshots).toEqual([good]);
    expect(r.errors).toHaveLength(bad.length);
    expect(r.errors[0]).toMatch(/^snapshot 2: id/);
    expect(r.errors[1]).toMatch(/thumbnail/);
    expect(r.errors[2]).toMatch(/thumbnail/);
    expect(r.errors[4]).toMatch(/camera.center/);
    expect(r.errors[5]).toMatch(/classCount/);
    expect(r.errors[6]).toMatch(/slices\.big/);
  });

  it('rejects files that are not ours, with a reason', () => {
    expect(parseSnapshotFile('{').errors[0]).toMatch(/not JSON/);
    expect(parseSnapshotFile('[]').errors[0]).toMatch(/JSON object/);
    expect(validateSnapshotFile({ format: 'other', version: 1, snapshots: [] }).errors[0]).toMatch(/format/);
    expect(validateSnapshotFile({ format: 'branch-planner-snapshots', version: 99, snapshots: [] }).errors[0]).toMatch(/newer/);
    expect(validateSnapshotFile({ format: 'branch-planner-snapshots', version: 1, snapshots: {} }).errors[0]).toMatch(/list/);
  });

  it('drops unknown fields', () => {
    const r = validateSnapshotFile({ format: 'branch-planner-snapshots', version: 1, snapshots: [{ ...good, extra: '<script>', state: { ...good.state, rows: [1, 2, 3] } }] });
    expect(r.snapshots[0]).toEqual(good);
  });

  it('in safe mode, leaves out unsafe thumbnails and individual-level slices', () => {
    const unsafe = { ...good, thumbnailSafe: false };
    const f = snapshotFile([unsafe], { safe: true, individualSlices: ['cust'] });
    expect(f.snapshots[0].thumbnail).toBeNull();
    expect(f.snapshots[0].state.slices).toEqual({ risk: { w: 1 } });
    const open = snapshotFile([unsafe], { safe: false, individualSlices: ['cust'] });
    expect(open.snapshots[0].thumbnail).toBe(good.thumbnail);
    expect(open.snapshots[0].state.slices).toEqual(good.state.slices);
  });

  it('makes ids the validator accepts', () => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const id = newSnapshotId(rnd);
    expect(validateSnapshotFile({ format: 'branch-planner-snapshots', version: 1, snapshots: [{ ...good, id }] }).snapshots).toHaveLength(1);
  });
});
