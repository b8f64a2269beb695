import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SyncRepository } from '../store/repository';

/**
 * Station credentials. IT staff issue one per station with a server command; the station
 * keeps it sealed like its database key and sends it on every request as
 * `Authorization: Bearer mis1.<stationId>.<secret>`. The server keeps only the SHA-256
 * of the secret: with 256 random bits, a slow hash would add nothing.
 *
 * Administrators of the server (imports, corrections) hold credentials of the same form
 * under the reserved name ADMIN_PRINCIPAL, which is no valid station id.
 */

const PREFIX = 'mis1';
export const ADMIN_PRINCIPAL = '@admin';

export interface IssuedCredential {
  principal: string;
  /** The whole token, shown once; it cannot be recovered from the server afterwards. */
  token: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function issueCredential(repository: SyncRepository, principal: string, now = Date.now()): Promise<IssuedCredential> {
  const secret = randomBytes(32).toString('base64url');
  await repository.addCredential({ stationId: principal, secretHash: sha256(secret), createdAt: now, revokedAt: null });
  return { principal, token: `${PREFIX}.${principal}.${secret}` };
}

/** The principal and secret of a token, or null when it is not one of ours. */
export function parseToken(token: string): { principal: string; secret: string } | null {
  const first = token.indexOf('.');
  const last = token.lastIndexOf('.');
  if (first < 0 || last <= first || token.slice(0, first) !== PREFIX) return null;
  const principal = token.slice(first + 1, last);
  const secret = token.slice(last + 1);
  if (principal.length === 0 || principal.length > 64 || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  return { principal, secret };
}

/**
 * Checks tokens against the stored hashes. A verified token is remembered for a short
 * while, so that a station pushing many batches costs one lookup, not one per batch; a
 * revoked credential stops working within that while.
 */
export class CredentialVerifier {
  private readonly verified = new Map<string, { principal: string; until: number }>();

  constructor(
    private readonly repository: SyncRepository,
    private readonly rememberMs = 30_000,
  ) {}

  /** The principal the token belongs to, or null. */
  async verify(token: string, now = Date.now()): Promise<string | null> {
    const remembered = this.verified.get(token);
    if (remembered && remembered.until > now) return remembered.principal;
    const parsed = parseToken(token);
    if (!parsed) return null;
    const presented = Buffer.from(sha256(parsed.secret), 'hex');
    const credentials = await this.repository.credentials(parsed.principal);
    const match = credentials.some((credential) => {
      const stored = Buffer.from(credential.secretHash, 'hex');
      return stored.length === presented.length && timingSafeEqual(stored, presented);
    });
    if (!match) return null;
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(token, { principal: parsed.principal, until: now + this.rememberMs });
    return parsed.principal;
  }

  forget(): void {
    this.verified.clear();
  }
}
