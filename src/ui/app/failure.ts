import { describeEngineError, RAW_ENGINE_TEXT } from '../../data/engine-errors.ts';
import { t } from '../../i18n/i18n.svelte.ts';
import { DB_WORKER_DIED_MESSAGE } from './workers.ts';

/** What a failed computation shows: its sentence, and the raw engine text only behind "details". */
export interface FailureView {
  text: string;
  detail: string | null;
}

/**
 * Our own messages (pipeline and input errors, already sentences) are shown as they are; DuckDB,
 * worker or runtime text (RAW_ENGINE_TEXT) never is: it becomes a sentence in the UI language,
 * and the original is kept for the "details" disclosure of a bug report.
 */
export function failureView(message: string): FailureView {
  // core/grid.ts's StudyGridError, whose class does not survive the worker boundary
  const cells = /^the areas would have about ([\d,]+) study cells at H3 resolution (\d+), more than the ([\d,]+) allowed; use resolution (\d+)/.exec(message);
  if (cells) return { text: t('import.engine.studyCells', { estimated: cells[1], resolution: cells[2], max: cells[3], coarser: cells[4] }), detail: null };
  const fill = /^H3 could not fill area (\d+) \(in file order\) at resolution (\d+)/.exec(message);
  if (fill) return { text: t('import.engine.polygonFailed', { area: fill[1], resolution: fill[2] }), detail: null };
  // workers.ts's DbWorkerDied: the DB worker died while this ran and was restarted
  if (message === DB_WORKER_DIED_MESSAGE) return { text: t('import.engine.computeDied'), detail: null };
  if (!RAW_ENGINE_TEXT.test(message)) return { text: message, detail: null };
  const { key } = describeEngineError(message);
  return {
    text: t(key === 'outOfMemory' ? 'import.engine.computeOutOfMemory' : 'import.engine.computeInternal'),
    detail: message,
  };
}
