import { extname, join, normalize, sep } from 'node:path';

/**
 * Serving the built renderer, shared by the Electron protocol handler and the headless
 * shell's HTTP server so that both apply the same path rules. The headers both send are
 * in security/content-security-policy.ts.
 */

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file inside the renderer folder, or null when the path would
 * leave it. Paths without a file extension are the app's own routes: they get index.html.
 */
export function resolveRendererFile(rendererDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split(/[/\\]/).includes('..')) return null;
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  if (relative === '' || extname(relative) === '') return join(rendererDir, 'index.html');
  const full = join(rendererDir, relative);
  return full.startsWith(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep) ? full : null;
}
