/**
 * The Electron app serves its renderer from its own privileged scheme, never from
 * file:// or the network. Only frames loaded from this origin may call the API.
 */
export const appScheme = 'app';
export const appHost = 'mis';
export const appOrigin = `${appScheme}://${appHost}`;
export const appStartUrl = `${appOrigin}/index.html`;

/** True only for a URL of the app's own origin (not a look-alike such as app://mis.evil). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost;
  } catch {
    return false;
  }
}
