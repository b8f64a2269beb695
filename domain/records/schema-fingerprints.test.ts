import { createHash } from 'node:crypto';
import { normalizeRxJsonSchema } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { collectionDefinitions } from './collections';
import { officerSchemaV0 } from './officers.v0';

/*
 * A station that finds a stored collection under a schema with the same version but
 * a different content refuses to open it (RxDB error DB6): every change to a schema,
 * down to a maxLength or a description, must come with a new version and a migration
 * (see migrations.ts). This test makes such a change visible in review: it fails until
 * the fingerprint below is updated, which is the moment to check the version was raised.
 */
const fingerprints = {
  registrations: { version: 0, sha256: '44f43de5e836aa64c272b1d3d4910872f54e2f77b510a026f88d63497aa0d81d' },
  crossings: { version: 0, sha256: '780a8d596b5997d56e80ae8b404be36e049adb5d8d6a7e5dee0b91a8e041d917' },
  biometrics: { version: 0, sha256: '7c6ed6d910fa997a61df79f8970d9037655e6b3e64d7f7552c4716d499c7e67a' },
  audit: { version: 0, sha256: '772d335bd9390bf7da96f1e07746b2e638ff15863618af9819032818ccb4b688' },
  alerts: { version: 0, sha256: 'b01e2d42c06ab3a971d311c04bb8b7ffa134e95a5364681690e768d49504b05d' },
  // Version 1: badgeNumber and mustChangePassword (migrations/officers-1.ts).
  officers: { version: 1, sha256: '304f0eb9a96efb7462709f62672a78abc2501cc7d324db30a6e77a5e83b5b03f' },
  stations: { version: 0, sha256: 'd78224a69350590289f8e545b7bc1e545adde9b7f3db8f81a01dfe169ddb018c' },
  codeLists: { version: 0, sha256: '58f39d93ef661afd36bd7c91bbb1785170ed08f5a58d669a36439ac2aa1bc806' },
};

function fingerprint(schema: object): string {
  return createHash('sha256').update(JSON.stringify(normalizeRxJsonSchema(schema as never))).digest('hex');
}

describe('schema fingerprints', () => {
  it('match the recorded ones: a changed schema needs a new version and a migration', () => {
    const current = Object.fromEntries(
      Object.entries(collectionDefinitions).map(([name, { schema }]) => [name, { version: schema.version, sha256: fingerprint(schema) }]),
    );
    expect(current).toEqual(fingerprints);
  });

  it('keep the frozen copies of earlier versions exactly as stations stored them', () => {
    // The fingerprint officers had at version 0: a migration tested against anything else proves nothing.
    expect(fingerprint(officerSchemaV0)).toBe('6fc8d30154e3f5920349beec2589b35be27a6292aac13cc76a5685b542cdee46');
  });
});
