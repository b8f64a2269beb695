import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticRegistration, syntheticSource } from '../../domain/records';
import { fileKeyVault } from '../store/database-key';
import { stationStoreFiles } from '../store/station-files';
import { openStationStore } from './station-store';

function station() {
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-station-store-'));
  return { dataDir, vault: fileKeyVault(stationStoreFiles(dataDir).keyFile) };
}

describe('the station store', () => {
  it('keeps a registration across a restart and finds it by document number through its index', async () => {
    const { dataDir, vault } = station();
    const source = syntheticSource(7, { stationId: 'BIH-SA-01' });
    const registrations = Array.from({ length: 600 }, () => syntheticRegistration(source));
    const first = await openStationStore(dataDir, vault);
    await first.database.registrations.bulkInsert(registrations);
    await first.close();

    const again = await openStationStore(dataDir, vault);
    const wanted = registrations[321]!;
    const found = await again.database.registrations
      .find({ selector: { 'document.documentNumber': wanted.document.documentNumber, 'document.issuingState': wanted.document.issuingState } })
      .exec();
    expect(found.map((doc) => doc.id)).toContain(wanted.id);
    expect(await again.database.registrations.count().exec()).toBe(600);
    await again.close();
  });

  it('is opened by one process at a time', async () => {
    const { dataDir, vault } = station();
    const first = await openStationStore(dataDir, vault);
    try {
      // The lock holds this process's pid, and this process is alive.
      await expect(openStationStore(dataDir, vault)).rejects.toThrow(/in use by another MIS Station process/);
    } finally {
      await first.close();
    }
    const second = await openStationStore(dataDir, vault);
    await second.close();
  });
});
