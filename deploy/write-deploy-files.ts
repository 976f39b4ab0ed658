/**
 * Writes the deployment's header files from the one policy (deploy/csp.ts):
 * `public/_headers` (Netlify, Cloudflare Pages; copied into dist/ by the build) and
 * `deploy/nginx.conf`. Set BP_CONNECT_ORIGINS first to allow a tile server:
 *
 *   BP_CONNECT_ORIGINS="https://tiles.bank.example" node --import tsx deploy/write-deploy-files.ts
 *
 * The same variable must be set for `npm run build`, which writes it into the page's <meta>.
 */
import { writeFileSync } from 'node:fs';
import { CONNECT_ORIGINS_ENV, headersFile, nginxConf, parseConnectOrigins } from './csp.ts';

const origins = parseConnectOrigins(process.env[CONNECT_ORIGINS_ENV]);
writeFileSync(new URL('../public/_headers', import.meta.url), headersFile(origins));
writeFileSync(new URL('./nginx.conf', import.meta.url), nginxConf(origins));
console.log(`public/_headers and deploy/nginx.conf written${origins.length ? ` allowing ${origins.join(' ')}` : ' (no extra origins)'}.`);
