import { describe, expect, it } from 'vitest';
import { decodeHash, encodeHash, isShareHash, MAX_SLICE_CHARS, sameCamera, type ShareState } from './permalink.ts';

const state: ShareState = {
  camera: { center: [121.4737021, 31.2303904], zoom: 10.123456, bearing: -17.25, pitch: 42.5 },
  tab: 'risk',
  indicator: 'unemployment_rate',
  period: '2025Q4',
  classMethod: 'jenks',
  classCount: 6,
  layers: { choropleth: true, ownBranch: false, ownAtm: true, competitor: false },
  selectedAreaId: '310115',
  fingerprint: '16:192:200000:390',
  slices: { risk: { weights: [3, 2], normalization: 'minmax', name: '宝山 & co = "x"' } },
};

describe('permalink hash', () => {
  it('round-trips a full state within the documented rounding', () => {
    const hash = encodeHash(state);
    expect(hash.startsWith('#bp=1&')).toBe(true);
    const { state: back, problems } = decodeHash(hash);
    expect(problems).toEqual([]);
    expect(sameCamera(back.camera!, state.camera)).toBe(true);
    expect(back.camera!.zoom).toBeCloseTo(10.12346, 5);
    const { camera: _a, ...rest } = state;
    const { camera: _b, ...restBack } = back as ShareState;
    expect(restBack).toEqual(rest);
  });

  it('keeps Chinese and punctuation in slices intact through percent-encoding', () => {
    const back = decodeHash(encodeHash(state)).state;
    expect((back.slices!.risk as { name: string }).name).toBe('宝山 & co = "x"');
  });

  it('omits empty fields and a null selection', () => {
    const hash = encodeHash({ ...state, selectedAreaId: null, slices: {}, fingerprint: '' });
    expect(hash).not.toMatch(/sel=|fp=|s\./);
    const back = decodeHash(hash).state;
    expect(back.selectedAreaId).toBeUndefined();
  });

  it('drops bad fields one by one and says why, keeping the rest', () => {
    const { state: s, problems } = decodeHash('#bp=1&c=500,31&z=10&ind=population&cc=4.5&l=choropleth:1,bad:x&s.risk={oops');
    expect(s.camera).toBeUndefined();
    expect(s.indicator).toBe('population');
    expect(s.classCount).toBeUndefined();
    expect(s.layers).toEqual({ choropleth: true });
    expect(s.slices).toBeUndefined();
    expect(problems.join('\n')).toMatch(/c: centre/);
    expect(problems.join('\n')).toMatch(/cc: class count/);
    expect(problems.join('\n')).toMatch(/s\.risk: not JSON/);
  });

  it('rejects overlong slices (parameters, never data)', () => {
    const big = encodeURIComponent(JSON.stringify({ rows: 'x'.repeat(MAX_SLICE_CHARS + 1) }));
    const { state: s, problems } = decodeHash(`#bp=1&s.data=${big}`);
    expect(s.slices).toBeUndefined();
    expect(problems[0]).toMatch(/longer than/);
  });

  it('tells our hashes from other anchors', () => {
    expect(isShareHash('#bp=1&z=3')).toBe(true);
    expect(isShareHash('#section-2')).toBe(false);
    expect(decodeHash('#section-2').problems[0]).toMatch(/not a Branch Planner link/);
  });

  it('compares bearings across the ±180° seam', () => {
    const a = { center: [0, 0] as [number, number], zoom: 3, bearing: 179.999, pitch: 0 };
    expect(sameCamera(a, { ...a, bearing: -179.999 })).toBe(true);
    expect(sameCamera(a, { ...a, bearing: 170 })).toBe(false);
  });
});
