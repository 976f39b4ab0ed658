import { describe, expect, it } from 'vitest';
import { inChina, shouldAskCrs } from './crs-prompt.ts';

describe('CRS prompt', () => {
  it('asks for Chinese headers, whatever the coordinates', () => {
    expect(shouldAskCrs(['客户编号', '经度', '纬度'], ['K1', '2.35', '48.85'], { lon: '经度', lat: '纬度' })).toBe(true);
  });
  it('asks for points in China under English headers, not for points elsewhere', () => {
    expect(shouldAskCrs(['id', 'lon', 'lat'], ['a', '121.47', '31.23'], { lon: 'lon', lat: 'lat' })).toBe(true);
    expect(shouldAskCrs(['id', 'lon', 'lat'], ['a', '2.35', '48.85'], { lon: 'lon', lat: 'lat' })).toBe(false);
    expect(shouldAskCrs(['id', 'lon', 'lat'], ['a', 'x', '31.2'], { lon: 'lon', lat: 'lat' })).toBe(false);
    expect(shouldAskCrs(['id', 'lon', 'lat'], [], {})).toBe(false);
  });
  it('China bounding box', () => {
    expect(inChina(116.4, 39.9)).toBe(true); // Beijing
    expect(inChina(87.6, 43.8)).toBe(true); // Urumqi
    expect(inChina(139.7, 35.7)).toBe(false); // Tokyo
    expect(inChina(-74, 40.7)).toBe(false);
  });
});
