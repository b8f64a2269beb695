/**
 * The Content-Security-Policy and the other response headers of every renderer page,
 * whichever transport serves it (Electron's app:// protocol or the headless shell). Only
 * the app's own scripts and styles, no inline script and no eval, no plugins, no frames,
 * no <base> or form posts elsewhere, and connections only to the app itself and to the
 * origins named (the headless shell's WebSocket; the Electron window names none).
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
