/**
 * Lets apache-arrow run under a policy without 'unsafe-eval'. Arrow's builders (used by
 * `vectorFromArray` in the loaders, in the DB and import workers) compile their null-value
 * test with `new Function` — the only string evaluation the app's own bundles reach — and
 * the policy refuses it. This plugin swaps that one `return new Function(...)` for a closure
 * that gives the same answers, in the build (main and worker bundles) and in `vite dev`.
 */
import type { Plugin } from 'vite';

/**
 * What Arrow's generated `switch` decides, without compiling it: a value is null when it is
 * `===` one of the primitive null values, or NaN when NaN is among them. (An object null
 * value became an object literal in Arrow's `case`, which never equals anything.)
 */
export function isValidWithoutEval(nullValues: readonly unknown[]): (x: unknown) => boolean {
  const nan = nullValues.some((v) => v !== v);
  const nulls = new Set(nullValues.filter((v) => v === v && (v === null || (typeof v !== 'object' && typeof v !== 'function'))));
  return function isValid(x: unknown): boolean {
    return !((nan && x !== x) || nulls.has(x));
  };
}

/** Arrow's statement, as written in its .mjs source and in Vite's pre-bundled copy. */
const ARROW_EVAL = 'return new Function(`x`, `${fnBody}\\nreturn true;`);';

/** Rewrite Arrow's module text; `undefined` when the module is not the one to change. */
export function rewriteArrowValid(code: string): string | undefined {
  if (!code.includes('function createIsValidFunction(')) return undefined;
  if (!code.includes(ARROW_EVAL)) {
    throw new Error('apache-arrow changed how createIsValidFunction builds its test: update deploy/arrow-without-eval.ts, or the CSP will refuse it.');
  }
  return code.replace(ARROW_EVAL, 'return __bpIsValidWithoutEval(nullValues);') + `\nconst __bpIsValidWithoutEval = ${isValidWithoutEval.toString()};\n`;
}

export function arrowWithoutEval(): Plugin {
  return {
    name: 'branch-planner:arrow-without-eval',
    enforce: 'pre',
    transform(code, id) {
      if (!/apache-arrow/.test(id)) return null;
      const out = rewriteArrowValid(code);
      return out === undefined ? null : { code: out, map: null };
    },
  };
}
