/** Public API of the loading layer (browser DB worker and CLI). */
export { loadInputs, readRejects } from './load-inputs.ts';
export { guessMapping, normalizeName, CONTRACT } from './column-guess.ts';
export { LoadError, LoadCancelled, formatProblem } from './errors.ts';
export { validateAreas } from './geojson.ts';
export type * from './types.ts';
export { INPUT_KINDS, POINT_KINDS } from './types.ts';
