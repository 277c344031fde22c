import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { installRoot } from '../install-root.ts';

/** Where `npm run build:web` writes the console. */
export const CONSOLE_DIST = path.join(installRoot(), 'web/dist');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Assay console not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The Assay console has not been built</h1>
<p>The API is running under <a href="/api/health">/api</a>. To build the web console run:</p>
<pre>npm run build:web</pre>
<p>(<code>npm ci</code> builds it too), then reload this page.</p>
</body></html>`;

/**
 * Serves the built console (web/dist) at `/`: hashed assets with a long cache, and index.html for
 * every other GET outside /api so that client-side routes survive a reload. Without a build, a small
 * page says how to make one. Unknown /api paths keep the JSON 404 envelope.
 */
export async function registerConsoleStatic(
  app: FastifyInstance,
  distDir: string = CONSOLE_DIST,
): Promise<void> {
  // One encapsulated scope whose routes (the static plugin's included) are all public: the console's
  // files need no token, the API it calls does.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), public: true };
    });
    await consoleRoutes(scope, distDir);
  });
}

/** The decoded path, or null for a malformed percent-escape. */
function decodedPath(url: string): string | null {
  try {
    return decodeURIComponent(url);
  } catch {
    return null;
  }
}

/** True for any spelling of a path under /api (percent-encoded, doubled slashes, any case). */
function looksLikeApi(decoded: string): boolean {
  const normal = decoded.replace(/[/\\]+/g, '/').toLowerCase();
  return normal === '/api' || normal.startsWith('/api/') || normal.startsWith('/api;');
}

async function consoleRoutes(app: FastifyInstance, distDir: string): Promise<void> {
  const built = existsSync(path.join(distDir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: distDir,
      wildcard: false,
      index: false,
      // Cache headers are ours (setHeaders below), not send's default max-age=0.
      cacheControl: false,
      setHeaders: (res, filePath) => {
        // Vite fingerprints everything under assets/, so those never change; the shell must revalidate.
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const url = decodedPath(request.url.split('?')[0] ?? '/');
    if (url === null || looksLikeApi(url)) return reply.callNotFound();
    if (path.extname(url) !== '') {
      // Files added by a rebuild after start (new fingerprints) are served too; a missing file is a 404.
      const rel = path.normalize(url).replace(/^[/\\]+/, '');
      if (built && !rel.startsWith('..') && existsSync(path.join(distDir, rel))) return reply.sendFile(rel);
      return reply.callNotFound();
    }
    if (!built) return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
}
