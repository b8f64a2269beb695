import type { KeyVault, SecretFormat } from '../store/database-key';

/** mis1.<stationId>.<43 characters of base64url>: what `npm run server -- add-station` prints. */
export const stationCredentialFormat: SecretFormat = {
  name: 'station credential',
  test: (text) => /^mis1\.[A-Za-z0-9][A-Za-z0-9._:-]{0,63}\.[A-Za-z0-9_-]{43}$/.test(text),
};

/** The station a credential was issued to. */
export function credentialStation(token: string): string {
  return token.slice(token.indexOf('.') + 1, token.lastIndexOf('.'));
}

/**
 * The station's credential for the sync server, kept like the database key (sealed by
 * the operating system in the app, a 0600 file for the headless shell). Returns the token,
 * or why sync cannot run, in words for IT staff.
 */
export async function loadStationCredential(vault: KeyVault, stationId: string | null): Promise<{ token: string } | { problem: string }> {
  let token: string | null;
  try {
    token = await vault.read();
  } catch (error) {
    return { problem: (error as Error).message };
  }
  if (!token) return { problem: `This station has no credential for the sync server yet (${vault.location}). IT staff issue one with \`npm run server -- add-station\`.` };
  if (!stationCredentialFormat.test(token)) return { problem: `The station credential in ${vault.location} is not a credential of the sync server.` };
  const issuedTo = credentialStation(token);
  if (stationId !== null && issuedTo !== stationId) return { problem: `The station credential was issued to ${issuedTo}, but this station is ${stationId}.` };
  return { token };
}
