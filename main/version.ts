import packageJson from '../package.json' with { type: 'json' };

/** The application version, as released (from package.json). */
export const appVersion: string = packageJson.version;
