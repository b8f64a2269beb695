import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { appHost, appScheme } from '../security/app-origin';
import { contentTypeFor, resolveRendererFile } from '../renderer-files';
import { contentSecurityPolicy, securityHeaders } from '../security/content-security-policy';

/** Must run before the app is ready: makes app:// a secure, standard origin. */
export function declareAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer on app://mis/ with the same CSP and path rules as the headless shell. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const file = url.host === appHost ? resolveRendererFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: { ...securityHeaders, 'content-type': contentTypeFor(file), 'content-security-policy': contentSecurityPolicy() },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
