import type { FileProblem, FileReport, RejectRow } from './types.ts';
import { describeEngineError } from './engine-errors.ts';

/**
 * A load that could not be committed: one or more files were unusable (unreadable, missing
 * required columns, no usable rows, mixed period formats ...). The previous tables are intact.
 * `problems` lists every file-level problem found (all inputs are checked before giving up, so a
 * user fixes everything in one go); `rejects` and `files` hold what row validation found so far.
 */
export class LoadError extends Error {
  override readonly name = 'LoadError';
  constructor(
    readonly problems: FileProblem[],
    readonly rejects: RejectRow[] = [],
    readonly files: FileReport[] = [],
  ) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** The load was cancelled through its AbortSignal; the previous tables are intact. */
export class LoadCancelled extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('load cancelled; the previous data is unchanged');
  }
}

/** `customers.csv line 7: period '2024-09' ...` — file first, then where, then what. */
export function formatProblem(p: FileProblem): string {
  return `${p.file}${p.line !== undefined ? ` line ${p.line}` : ''}: ${p.message}`;
}

/** Thrown inside a file's pipeline; collected into LoadError.problems. */
export class FileProblemError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    /** Engine failures: the dictionary key and the engine's own text (see engine-errors.ts). */
    readonly engine?: { code: string; detail: string },
  ) {
    super(message);
  }

  /** An engine's failure as a file problem: the sentence, the key, the raw text as detail. */
  static fromEngine(e: unknown): FileProblemError {
    const f = describeEngineError(e);
    return new FileProblemError(f.message, undefined, { code: f.key, detail: f.detail });
  }
}
