/**
 * Vite plugin that applies deploy/csp.ts everywhere the app is served from:
 * - `vite dev` and `vite preview` / `npm start` send the policy as a header on every
 *   response. A dedicated worker's policy comes from its own script's response headers (a
 *   <meta> in the page does not reach it), so the header is what closes the DB worker.
 * - the built index.html gets the <meta> from the same definition (for a host that serves
 *   files without headers), and dist/_headers is written for the deployment's allow-list.
 * - the allow-list (BP_CONNECT_ORIGINS, from the environment or a .env file) is validated
 *   once and handed to the app as `import.meta.env.BP_CONNECT_ORIGINS`, so the basemap
 *   settings can say when a style URL's server is not on it.
 */
import type { Plugin } from 'vite';
import { loadEnv } from 'vite';
import { CONNECT_ORIGINS_ENV, cspHeader, cspMeta, headersFile, parseConnectOrigins } from './csp.ts';

export function cspPlugin(): Plugin {
  let origins: string[] = [];
  const setHeader = (_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('Content-Security-Policy', cspHeader(origins));
    next();
  };
  return {
    name: 'branch-planner:csp',
    config(config, { mode }) {
      const env = { ...loadEnv(mode, config.envDir || config.root || process.cwd(), 'BP_'), ...process.env };
      origins = parseConnectOrigins(env[CONNECT_ORIGINS_ENV]);
      return { define: { 'import.meta.env.BP_CONNECT_ORIGINS': JSON.stringify(origins.join(' ')) } };
    },
    // Registered before Vite's own middlewares, so every response — HTML, scripts, worker
    // scripts, wasm, 404s — carries the header.
    configureServer(server) {
      server.middlewares.use(setHeader);
    },
    configurePreviewServer(server) {
      server.middlewares.use(setHeader);
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (/http-equiv=["']?content-security-policy/i.test(html)) {
          throw new Error('index.html has its own Content-Security-Policy <meta>: remove it, the policy comes from deploy/csp.ts.');
        }
        // Right after <meta charset>, before any script or stylesheet the policy must govern.
        const charset = /<meta charset=[^>]*>/i;
        if (!charset.test(html)) throw new Error('index.html needs a <meta charset> for the Content-Security-Policy <meta> to follow.');
        return html.replace(charset, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${cspMeta(origins)}" />`);
      },
    },
    // Overrides the copy of public/_headers (written for no allow-list) with this build's policy.
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile(origins) });
    },
  };
}
