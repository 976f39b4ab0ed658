import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createIsValidFunction } from 'apache-arrow/builder/valid';
import { cspDirectives, cspHeader, cspMeta, headersFile, nginxConf, openEgressSources, parseConnectOrigins, parsePolicy } from '../deploy/csp.ts';
import { isValidWithoutEval, rewriteArrowValid } from '../deploy/arrow-without-eval.ts';
import { cspPlugin } from '../deploy/csp-plugin.ts';
import { allowedOrigins, refusedOrigin } from '../src/ui/map/basemap-settings.svelte.ts';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

/** The allow-listed origins a written policy carries: connect-src beyond the base policy's. */
function extraOriginsOf(policy: string): string[] {
  const base = new Map(cspDirectives()).get('connect-src')!;
  return (parsePolicy(policy).get('connect-src') ?? []).filter((s) => !base.includes(s));
}

function headerPolicyIn(file: string): string {
  const m = /^\s+Content-Security-Policy:\s*(.+)$/m.exec(file);
  expect(m, 'no Content-Security-Policy line').not.toBeNull();
  return m![1].trim();
}

describe('the policy', () => {
  it('closes egress to the app’s own origin', () => {
    expect(cspHeader()).toBe(
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; connect-src 'self' blob: data:; font-src 'self' data:; base-uri 'self'; " +
        "form-action 'none'; object-src 'none'; frame-ancestors 'none'",
    );
    expect(openEgressSources(cspHeader())).toEqual([]);
  });

  it('gives the <meta> everything but what a <meta> cannot carry', () => {
    const header = parsePolicy(cspHeader());
    const meta = parsePolicy(cspMeta());
    header.delete('frame-ancestors');
    expect(meta).toEqual(header);
  });

  it('adds allow-listed origins to connect-src and img-src only, and stays closed', () => {
    const origins = ['https://tiles.bank.example', 'https://t0.tianditu.gov.cn'];
    const p = parsePolicy(cspHeader(origins));
    const base = parsePolicy(cspHeader());
    for (const [name, sources] of p) {
      if (name === 'connect-src' || name === 'img-src') expect(sources).toEqual([...base.get(name)!, ...origins]);
      else expect(sources).toEqual(base.get(name));
    }
    expect(openEgressSources(cspHeader(origins))).toEqual([]);
  });

  it('flags wildcard egress wherever it appears', () => {
    expect(openEgressSources("default-src 'self'; connect-src 'self' https:")).toEqual(['connect-src: https:']);
    expect(openEgressSources("connect-src *; img-src https://*.example.com")).toEqual(['connect-src: *', 'img-src: https://*.example.com']);
    expect(openEgressSources("script-src 'self' 'unsafe-eval' https://cdn.example.com")).toEqual([
      "script-src: 'unsafe-eval'",
      'script-src: https://cdn.example.com',
    ]);
    expect(openEgressSources('default-src http: wss:; connect-src data: blob:')).toEqual(['default-src: http:', 'default-src: wss:']);
  });
});

describe('BP_CONNECT_ORIGINS', () => {
  it('is empty when unset or blank', () => {
    expect(parseConnectOrigins(undefined)).toEqual([]);
    expect(parseConnectOrigins('  ')).toEqual([]);
  });

  it('accepts https origins, separated by spaces or commas, normalised and deduplicated', () => {
    expect(parseConnectOrigins('https://Tiles.Bank.example/ https://t0.tianditu.gov.cn,https://tiles.bank.example:443 https://a.example:8443')).toEqual([
      'https://tiles.bank.example',
      'https://t0.tianditu.gov.cn',
      'https://a.example:8443',
    ]);
    expect(parseConnectOrigins('https://瓦片.example')).toEqual(['https://xn--h1xv9c.example']);
  });

  it.each([
    ['http://tiles.bank.example', /not an https/],
    ['tiles.bank.example', /not an https/],
    ['https:', /not an https/],
    ['*', /wildcard/],
    ['https://*.bank.example', /wildcard/],
    ['https://tiles.bank.example/styles/light.json', /path, query or fragment/],
    ['https://tiles.bank.example/.', /path, query or fragment/],
    ['https://tiles.bank.example?k=1', /path, query or fragment/],
    ['https://tiles.bank.example#x', /path, query or fragment/],
    ['https://user:pw@tiles.bank.example', /credentials/],
    ["https://tiles.bank.example;script-src", /cannot appear in a policy/],
    ["https://a'b.example", /cannot appear in a policy/],
    ['https://[::1]', /cannot appear in a policy/],
  ])('refuses %s, naming it', (entry, why) => {
    expect(() => parseConnectOrigins(`https://ok.example ${entry}`)).toThrow(why);
    expect(() => parseConnectOrigins(entry)).toThrow(entry);
  });
});

describe('the basemap settings know the allow-list', () => {
  it('gets the validated allow-list the build was given', () => {
    expect(allowedOrigins).toEqual(parseConnectOrigins(process.env.BP_CONNECT_ORIGINS));
  });

  it('names the origin of a style URL the browser would refuse, and only that', () => {
    const allowed = ['https://tiles.bank.example'];
    const self = 'https://planner.bank.example';
    expect(refusedOrigin('https://tiles.bank.example/styles/light.json', allowed, self)).toBeNull();
    expect(refusedOrigin('https://planner.bank.example/basemap/style.json', allowed, self)).toBeNull();
    expect(refusedOrigin('https://tiles.other.example/style.json', allowed, self)).toBe('https://tiles.other.example');
    expect(refusedOrigin('http://tiles.bank.example/style.json', allowed, self)).toBe('http://tiles.bank.example');
    expect(refusedOrigin('https://tiles.bank.example:8443/style.json', allowed, self)).toBe('https://tiles.bank.example:8443');
    expect(refusedOrigin('https://', allowed, self)).toBeNull();
  });
});

describe('the written policies agree with the definition', () => {
  it('public/_headers', () => {
    const file = read('public/_headers');
    const policy = headerPolicyIn(file);
    expect(openEgressSources(policy)).toEqual([]);
    expect(file).toBe(headersFile(extraOriginsOf(policy)));
  });

  it('deploy/nginx.conf', () => {
    const file = read('deploy/nginx.conf');
    const m = /add_header Content-Security-Policy "([^"]+)" always;/.exec(file);
    expect(m).not.toBeNull();
    expect(openEgressSources(m![1])).toEqual([]);
    expect(file).toBe(nginxConf(extraOriginsOf(m![1])));
    expect(m![1]).toBe(headerPolicyIn(read('public/_headers')));
  });

  it('index.html leaves the <meta> to the build', () => {
    expect(read('index.html')).not.toMatch(/content-security-policy/i);
  });

  it('the build: the plugin puts one closed <meta> before any script and writes _headers from the same allow-list', () => {
    // Run the plugin's own hooks on the real index.html (a test must not depend on whether
    // dist/ was built before it ran).
    const plugin = cspPlugin();
    (plugin.config as (c: object, e: { mode: string }) => unknown)({ root: process.cwd() }, { mode: 'production' });
    const transform = plugin.transformIndexHtml as { handler: (html: string) => string };
    const html = transform.handler(read('index.html'));
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/gi)].map((m) => m[1]);
    expect(metas).toHaveLength(1);
    expect(html.indexOf(metas[0])).toBeLessThan(html.search(/<script|<link/));
    const emitted: { fileName: string; source: string }[] = [];
    (plugin.generateBundle as (this: unknown) => void).call({ emitFile: (f: { fileName: string; source: string }) => emitted.push(f) });
    expect(emitted.map((f) => f.fileName)).toEqual(['_headers']);
    const header = headerPolicyIn(emitted[0].source);
    const origins = extraOriginsOf(header);
    expect(emitted[0].source).toBe(headersFile(origins));
    expect(metas[0]).toBe(cspMeta(origins));
    expect(openEgressSources(header)).toEqual([]);
    expect(openEgressSources(metas[0])).toEqual([]);
  });
});

describe("Arrow's null test without eval", () => {
  const cases: unknown[][] = [[], [null], [null, undefined], [NaN], [null, 'N/A', NaN], [0], [-0, 1n], ['', '--', 'x"y'], [true], [{}]];
  const probes: unknown[] = [null, undefined, NaN, 0, -0, 1, 1n, 2n, '', 'N/A', '--', 'x"y', 'null', true, false, {}, [], 'NaN'];

  const label = (c: unknown[]) => c.map((v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? JSON.stringify(v) : Object.is(v, -0) ? '-0' : String(v))).join(', ');
  it.each(cases.map((c) => [label(c), c] as const))('answers as Arrow does for null values [%s]', (_, nulls) => {
    // Arrow writes a string null value into its switch unescaped: skip what it cannot compile.
    let arrow: (x: unknown) => boolean;
    try {
      arrow = createIsValidFunction(nulls) as (x: unknown) => boolean;
    } catch {
      return;
    }
    const ours = isValidWithoutEval(nulls);
    for (const x of probes) expect(ours(x), String(x)).toBe(arrow(x));
  });

  it("rewrites Arrow's module so it no longer compiles a function from text", () => {
    const src = readFileSync(new URL('../node_modules/apache-arrow/builder/valid.mjs', import.meta.url), 'utf8');
    expect(src).toMatch(/new Function/);
    const out = rewriteArrowValid(src)!;
    expect(out).not.toMatch(/new Function/);
    expect(out).toMatch(/return __bpIsValidWithoutEval\(nullValues\);/);
    expect(rewriteArrowValid('export const unrelated = 1;')).toBeUndefined();
    expect(() => rewriteArrowValid('function createIsValidFunction(v) { return new Function("x", body); }')).toThrow(/update deploy/);
  });
});
