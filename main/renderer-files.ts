import { extname, join, normalize, sep } from 'node:path';

/**
 * Serving the built renderer, shared by the Electron protocol handler and the headless
 * shell's HTTP server so that both apply the same path rules and the same policy.
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

/**
 * The Content-Security-Policy of every renderer page: only the app's own scripts and
 * styles, no inline script, no plugins, no framing, and connections only to the origins
 * named (the headless shell's WebSocket).
 */
export function contentSecurityPolicy(connectSources: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${connectSources.join(' ')}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
} as const;
