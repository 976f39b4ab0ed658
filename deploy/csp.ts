/**
 * The app's Content Security Policy, defined once. The Vite plugin (deploy/csp-plugin.ts)
 * sends it as a header and writes it into index.html's <meta>; `public/_headers` and
 * `deploy/nginx.conf` are rendered from it (deploy/write-deploy-files.ts) and a unit test
 * fails when any of them drifts.
 *
 * Why each source is there:
 * - script-src 'wasm-unsafe-eval': duckdb-wasm, parquet-wasm, highs and h3-js compile
 *   WebAssembly. Nothing evaluates JavaScript from text: apache-arrow's one `new Function`
 *   is rewritten at build time (deploy/arrow-without-eval.ts).
 * - worker-src blob:: MapLibre starts its tile workers from a blob: URL.
 * - style-src 'unsafe-inline': Svelte and MapLibre set inline styles on elements.
 * - img-src / connect-src data: blob:: deck.gl icon atlases and MapLibre images are
 *   data:/blob: URLs, and the app reads its own exports back through blob: URLs.
 * - form-action 'none': no form is ever submitted anywhere (the only form is handled in script).
 * No directive allows a scheme (`https:`), a wildcard or another host, unless a deployment
 * names it in BP_CONNECT_ORIGINS (a bank's tile server): then connect-src and img-src gain
 * exactly those origins.
 *
 * Pure module: no Node or DOM imports, so the Vite config, the deploy script and the tests
 * share it.
 */

export type Directives = ReadonlyArray<readonly [name: string, sources: readonly string[]]>;

const BASE: Directives = [
  ['default-src', ["'self'"]],
  ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
  ['worker-src', ["'self'", 'blob:']],
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['img-src', ["'self'", 'data:', 'blob:']],
  ['connect-src', ["'self'", 'blob:', 'data:']],
  ['font-src', ["'self'", 'data:']],
  ['base-uri', ["'self'"]],
  ['form-action', ["'none'"]],
  ['object-src', ["'none'"]],
  ['frame-ancestors', ["'none'"]],
];

/** Directives that take the deployment's extra origins: tiles, styles, glyphs and sprites. */
const TAKES_EXTRA_ORIGINS = new Set(['connect-src', 'img-src']);

/**
 * Browsers ignore these in a <meta> policy and log an error for each, so the document's
 * <meta> leaves them out; the header carries them.
 */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/** The environment variable a deployment sets: space- or comma-separated https origins. */
export const CONNECT_ORIGINS_ENV = 'BP_CONNECT_ORIGINS';

const HOST_PORT = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$/;

/**
 * Parse and validate the deploy-time allow-list. Each entry must be an https origin
 * (`https://host[:port]`, optionally with a trailing `/`): no other scheme, no wildcard, no
 * path, query, fragment or credentials. Returns the origins normalised (lower case, IDN as
 * punycode, default port dropped), deduplicated, in the order given. Throws an error that
 * names the bad entry and says what is expected.
 */
export function parseConnectOrigins(raw: string | undefined): string[] {
  const out: string[] = [];
  for (const entry of (raw ?? '').split(/[\s,]+/).filter(Boolean)) {
    const bad = (why: string) =>
      new Error(`${CONNECT_ORIGINS_ENV}: "${entry}" ${why}. Give https origins only, like https://tiles.bank.example or https://tiles.bank.example:8443, separated by spaces.`);
    if (entry.includes('*')) throw bad('contains a wildcard');
    if (!/^https:\/\//i.test(entry)) throw bad('is not an https:// address');
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw bad('is not a valid address');
    }
    if (url.username || url.password || entry.slice(8).includes('@')) throw bad('contains credentials');
    if (url.pathname !== '/' || /[?#]/.test(entry) || /^https:\/\/[^/]*\/./i.test(entry)) throw bad('has a path, query or fragment');
    if (!HOST_PORT.test(url.host)) throw bad('has a host name that cannot appear in a policy');
    if (!out.includes(url.origin)) out.push(url.origin);
  }
  return out;
}

/** The policy's directives, with the deployment's extra origins added where they belong. */
export function cspDirectives(extraOrigins: readonly string[] = []): Directives {
  return BASE.map(([name, sources]) => [name, TAKES_EXTRA_ORIGINS.has(name) ? [...sources, ...extraOrigins] : sources] as const);
}

function render(directives: Directives): string {
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** The policy as sent in the Content-Security-Policy header. */
export function cspHeader(extraOrigins: readonly string[] = []): string {
  return render(cspDirectives(extraOrigins));
}

/** The same policy for the document's <meta>: minus what a <meta> policy cannot carry. */
export function cspMeta(extraOrigins: readonly string[] = []): string {
  return render(cspDirectives(extraOrigins).filter(([name]) => !HEADER_ONLY.has(name)));
}

/** Parse a policy's text into directive → sources (for tests and checks). */
export function parsePolicy(policy: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) m.set(name.toLowerCase(), sources);
  }
  return m;
}

/**
 * Sources that would let data leave for hosts nobody named: a wildcard, a bare scheme other
 * than data: and blob: (`https:`, `http:`, `wss:` …), `'unsafe-eval'`, or a host anywhere but
 * in the directives that take the deployment's allow-list. Returns `directive: source` for
 * each one found (empty when the policy is closed).
 */
export function openEgressSources(policy: string): string[] {
  const found: string[] = [];
  for (const [name, sources] of parsePolicy(policy)) {
    for (const s of sources) {
      const quoted = s.startsWith("'");
      const scheme = /^[a-z][a-z0-9+.-]*:$/i.test(s);
      const open =
        s.includes('*') ||
        (scheme && !['data:', 'blob:'].includes(s.toLowerCase())) ||
        s.toLowerCase() === "'unsafe-eval'" ||
        (!quoted && !scheme && !TAKES_EXTRA_ORIGINS.has(name));
      if (open) found.push(`${name}: ${s}`);
    }
  }
  return found;
}

const GENERATED = 'Generated from deploy/csp.ts, the one definition of the policy: do not edit by hand.\n# Regenerate with `node --import tsx deploy/write-deploy-files.ts` (reads BP_CONNECT_ORIGINS).';

/** A static host's `_headers` file (Netlify, Cloudflare Pages): the policy on every path. */
export function headersFile(extraOrigins: readonly string[] = []): string {
  return `# ${GENERATED}\n/*\n  Content-Security-Policy: ${cspHeader(extraOrigins)}\n`;
}

/**
 * An nginx snippet for the app's `server` or `location` block. `always` sends it on error
 * responses too; an `add_header` in a nested block replaces this one, so include it there.
 */
export function nginxConf(extraOrigins: readonly string[] = []): string {
  return (
    `# ${GENERATED}\n` +
    `# Include inside the server (or location) block that serves dist/; repeat the include in any\n` +
    `# nested block that has its own add_header, since nginx does not inherit them there.\n` +
    `add_header Content-Security-Policy "${cspHeader(extraOrigins)}" always;\n`
  );
}
