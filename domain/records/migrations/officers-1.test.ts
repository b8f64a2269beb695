import { describe, expect, it } from 'vitest';
import { collectionDefinitions } from '../collections';
import { migrateFixtures } from '../migration-harness';
import { officerValidator } from '../officers';
import { type OfficerV0, officerSchemaV0 } from '../officers.v0';

const HASH = '$scrypt$ln=17,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';

const fixtures: OfficerV0[] = [
  { id: 'officer-2', name: 'Synthetic Supervisor', username: 'supervisor.two', role: 'supervisor', passwordHash: HASH, stationIds: ['BIH-P-01', 'BIH-P-02'], active: true, updatedAt: 1_700_000_000_000 },
  { id: 'officer-1', name: 'Synthetic Officer', username: 'officer.one', role: 'officer', passwordHash: '!withheld', stationIds: ['BIH-P-03'], active: false, updatedAt: 1_700_000_000_001 },
];

describe('officers migration 0 → 1', () => {
  it('keeps every field, gives the placeholder badge number and keeps the passwords officers have', async () => {
    const migrated = await migrateFixtures({ collection: 'officers', before: officerSchemaV0, after: collectionDefinitions.officers, fixtures });
    expect(migrated).toEqual([
      { ...fixtures[1], badgeNumber: 'UNKNOWN', mustChangePassword: false },
      { ...fixtures[0], badgeNumber: 'UNKNOWN', mustChangePassword: false },
    ]);
    for (const officer of migrated) expect(officerValidator.safeParse(officer).success).toBe(true);
  });
});
