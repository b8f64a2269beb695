import { z } from 'zod';

/**
 * A provisioning bundle: what the central server gives one station PC so that it knows who
 * it is (station id), where its server is, how to prove itself to that server (its
 * credential), and which key signs what that server issues (the server's Ed25519 public
 * key). The server signs it; the station verifies the signature before it keeps anything.
 *
 * The file is JSON that IT staff can read (which station, which server, when). It holds
 * the station's credential in clear: it is a secret until it has been imported.
 */
export const provisioningBundleFormat = 'mis-station-provisioning/1';

export const provisioningBundleSchema = z
  .object({
    format: z.literal(provisioningBundleFormat),
    stationId: z.string().min(1).max(64),
    serverUrl: z.string().min(1),
    credential: z.string().min(1),
    /** The server's Ed25519 public key: SubjectPublicKeyInfo DER, base64. */
    serverPublicKey: z.string().min(1),
    /** When the server issued it (ISO 8601, server clock). */
    issuedAt: z.string().min(1),
    /** Ed25519 signature of provisioningSignedText(bundle), base64. */
    signature: z.string().min(1),
  })
  .strict();

export type ProvisioningBundle = z.infer<typeof provisioningBundleSchema>;

/**
 * The exact text the server signs: every field but the signature, in a fixed order, so
 * that signing and checking never depend on how a JSON file happens to order its keys.
 */
export function provisioningSignedText(bundle: Omit<ProvisioningBundle, 'signature'>): string {
  return JSON.stringify([bundle.format, bundle.stationId, bundle.serverUrl, bundle.credential, bundle.serverPublicKey, bundle.issuedAt]);
}

/** What `GET /provisioning/station` answers a station that presents its credential. */
export const provisioningStationResponse = z.object({
  stationId: z.string(),
  serverKeyFingerprint: z.string(),
});
