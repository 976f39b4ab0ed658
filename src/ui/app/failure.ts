import { describeEngineError, RAW_ENGINE_TEXT } from '../../data/engine-errors.ts';
import { t } from '../../i18n/i18n.svelte.ts';

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
  if (!RAW_ENGINE_TEXT.test(message)) return { text: message, detail: null };
  const { key } = describeEngineError(message);
  return {
    text: t(key === 'outOfMemory' ? 'import.engine.computeOutOfMemory' : 'import.engine.computeInternal'),
    detail: message,
  };
}
