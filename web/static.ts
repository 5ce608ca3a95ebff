// Static files from node_modules and web/public: GOV.UK Frontend's CSS, JavaScript, fonts and
// images; the bpmn-js viewer; Camau's own stylesheet and scripts. No CDN. Paths are resolved
// inside their root only.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import type Router from '@koa/router';

const require = createRequire(import.meta.url);
export const GOVUK_DIST = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const BPMN_JS_DIST = join(dirname(require.resolve('bpmn-js/package.json')), 'dist');
const PUBLIC = new URL('./public/', import.meta.url).pathname;

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.map': 'application/json',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.eot': 'application/vnd.ms-fontobject', '.ttf': 'font/ttf',
};

/** URL prefix -> directory. */
export const STATIC_ROOTS: Array<[string, string]> = [
  ['/assets/govuk/', join(GOVUK_DIST, 'govuk')],
  ['/assets/fonts/', join(GOVUK_DIST, 'govuk', 'assets', 'fonts')],
  ['/assets/images/', join(GOVUK_DIST, 'govuk', 'assets', 'images')],
  ['/assets/bpmn-js/', BPMN_JS_DIST],
  ['/assets/camau/', PUBLIC],
];

export function staticRoutes(router: Router): void {
  router.get('/assets/manifest.json', async (ctx) => {
    ctx.type = 'application/manifest+json';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = createReadStream(join(GOVUK_DIST, 'govuk', 'assets', 'manifest.json'));
  });
  for (const [prefix, root] of STATIC_ROOTS) {
    router.get(`${prefix}{*path}`, async (ctx) => {
      const rel = decodeURIComponent(ctx.path.slice(prefix.length));
      const file = normalize(join(root, rel));
      const st = file.startsWith(root.endsWith(sep) ? root : root + sep) && TYPES[extname(file)] ? await stat(file).catch(() => undefined) : undefined;
      if (!st?.isFile()) {
        ctx.status = 404;
        ctx.type = 'text';
        ctx.body = 'Not found';
        return;
      }
      ctx.type = TYPES[extname(file)];
      ctx.length = st.size;
      ctx.lastModified = st.mtime;
      ctx.set('Cache-Control', prefix === '/assets/camau/' ? 'no-cache' : 'public, max-age=86400');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = createReadStream(file);
    });
  }
}
