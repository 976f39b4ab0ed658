/**
 * The study cells as the sites pipeline needs them, straight from the area boundaries (the
 * CLI has no hotspot engine to ask; the app takes the engine's grid, the same cells).
 */
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { buildStudyGrid, cellCentres } from '../../core/grid.ts';
import type { StudyCells } from './sites-model.ts';

export function studyCellsOf(areas: readonly Geometry[], resolution: number): StudyCells {
  const grid = buildStudyGrid(areas.map((geometry) => ({ geometry: geometry as Polygon | MultiPolygon })), resolution);
  const centres = cellCentres(grid);
  return { h3: grid.h3, lon: centres.lon, lat: centres.lat, areaIndex: grid.areaIndex, areaCount: areas.length };
}
