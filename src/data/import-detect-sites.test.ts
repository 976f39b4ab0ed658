/** The Sites inputs a planner brings (issue 12): compound lists and road-network OD tables are recognised by their own headers. */
import { describe, expect, it } from 'vitest';
import { guessKind, kindsFor } from './import-detect.ts';
import { guessMapping } from './column-guess.ts';

describe('demand points and travel costs in the import', () => {
  it('are kinds a tabular file can be', () => {
    expect(kindsFor('csv')).toEqual(expect.arrayContaining(['demand_points', 'costs']));
    expect(kindsFor('geojson')).toEqual(['areas']);
  });

  it('recognises a compound list with Chinese headers and no id column: its name is the id', () => {
    const h = ['小区名称', '经度', '纬度', '户数'];
    expect(guessKind('csv', h, '小区户数.csv')).toEqual({ kind: 'demand_points', complete: true });
    expect(guessKind('csv', h, 'export.csv')).toEqual({ kind: 'demand_points', complete: true });
    expect(guessMapping(h, 'demand_points')).toEqual({ point_id: '小区名称', lon: '经度', lat: '纬度', weight: '户数' });
    // an id column wins over the name
    expect(guessMapping(['小区编号', '小区名称', '经度', '纬度'], 'demand_points').point_id).toBe('小区编号');
  });

  it('recognises OD cost tables from road-network tools, Chinese and ArcGIS-style', () => {
    expect(guessKind('csv', ['起点', '终点', '路网距离(米)'], 'od.csv')).toEqual({ kind: 'costs', complete: true });
    expect(guessMapping(['起点', '终点', '路网距离(米)'], 'costs')).toEqual({ demand_id: '起点', site_id: '终点', cost: '路网距离(米)' });
    expect(guessMapping(['OriginName', 'DestinationName', 'Total_Length'], 'costs')).toEqual({ demand_id: 'OriginName', site_id: 'DestinationName', cost: 'Total_Length' });
    expect(guessKind('csv', ['demand_id', 'site_id', 'cost'], 'x.csv')).toEqual({ kind: 'costs', complete: true });
  });

  it('still reads customers, sites and candidates as before', () => {
    expect(guessKind('csv', ['customer_id', 'lon', 'lat'], 'x.csv').kind).toBe('customers');
    expect(guessKind('csv', ['site_id', 'lon', 'lat', 'type', 'owner'], 'x.csv').kind).toBe('sites');
    expect(guessKind('csv', ['site_id', 'lon', 'lat'], 'candidates.csv').kind).toBe('candidates');
  });
});
