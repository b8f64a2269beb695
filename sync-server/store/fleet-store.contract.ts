import { afterEach, describe, expect, it } from 'vitest';
import { stationReportFormat, type StationReport } from '../../domain/station-report';
import { FleetStoreError } from './fleet-store';
import type { SyncRepository } from './repository';

/** What every repository's fleet store does (migration 4), run by the SQLite and the PostgreSQL test files against fresh, unmigrated stores. */

const report = (version: string): StationReport => ({
  format: stationReportFormat,
  version,
  platform: 'win32',
  arch: 'x64',
  sentAt: '2027-03-01T08:00:00.000Z',
  sync: { state: 'idle', lastSuccessAt: null, pending: { registrations: 2 }, failures: 0, lastFailureCode: null },
  devices: [],
  update: { state: 'idle', availableVersion: null },
});

const deb = { channel: 'latest', platform: 'linux', arch: 'x64', version: '1.2.0' } as const;

export function describeFleetStoreContract(name: string, openStore: () => Promise<SyncRepository>): void {
  describe(`${name} fleet store`, () => {
    const opened: SyncRepository[] = [];

    async function open(): Promise<SyncRepository> {
      const repository = await openStore();
      opened.push(repository);
      return repository;
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((repository) => repository.close()));
    });

    it('makes a release with its first file, adds further files to it, and takes the same file twice once', async () => {
      const repository = await open();
      await repository.migrate();
      const first = await repository.fleet.addReleaseFile(deb, { name: 'a.deb', sha512: 'A==', size: 10 }, { stagingPercentage: 20, at: 1_000 });
      expect(first).toEqual({ ...deb, stagingPercentage: 20, releasedAt: 1_000, files: [{ name: 'a.deb', sha512: 'A==', size: 10, addedAt: 1_000 }] });
      const second = await repository.fleet.addReleaseFile(deb, { name: 'a.AppImage', sha512: 'B==', size: 11 }, { stagingPercentage: 100, at: 2_000 });
      expect(second.stagingPercentage, 'a release keeps its percentage').toBe(20);
      expect(second.files.map((file) => file.name)).toEqual(['a.deb', 'a.AppImage']);
      await repository.fleet.addReleaseFile(deb, { name: 'a.deb', sha512: 'A==', size: 10 }, { stagingPercentage: 20, at: 3_000 });
      expect((await repository.fleet.releases({ platform: 'linux' }))[0]!.files).toHaveLength(2);
      expect(await repository.fleet.releases({ platform: 'win' })).toEqual([]);
      expect(await repository.fleet.releaseFile('a.AppImage')).toEqual({ release: deb, file: { name: 'a.AppImage', sha512: 'B==', size: 11, addedAt: 2_000 } });
      expect(await repository.fleet.releaseFile('nothing.deb')).toBeNull();
    });

    it('refuses a file name given to other content or another release', async () => {
      const repository = await open();
      await repository.migrate();
      await repository.fleet.addReleaseFile(deb, { name: 'a.deb', sha512: 'A==', size: 10 }, { stagingPercentage: 100, at: 1 });
      await expect(repository.fleet.addReleaseFile(deb, { name: 'a.deb', sha512: 'C==', size: 10 }, { stagingPercentage: 100, at: 2 })).rejects.toBeInstanceOf(FleetStoreError);
      await expect(repository.fleet.addReleaseFile({ ...deb, version: '1.3.0' }, { name: 'a.deb', sha512: 'A==', size: 10 }, { stagingPercentage: 100, at: 2 })).rejects.toThrow(/exists already/);
      expect(await repository.fleet.releases()).toHaveLength(1);
    });

    it('sets the rollout of a version, of one platform when asked', async () => {
      const repository = await open();
      await repository.migrate();
      await repository.fleet.addReleaseFile(deb, { name: 'a.deb', sha512: 'A==', size: 10 }, { stagingPercentage: 10, at: 1 });
      await repository.fleet.addReleaseFile({ ...deb, platform: 'win' }, { name: 'a.exe', sha512: 'B==', size: 10 }, { stagingPercentage: 10, at: 1 });
      expect(await repository.fleet.setStagingPercentage('1.2.0', 50, { platform: 'win' })).toBe(1);
      expect((await repository.fleet.releases()).map((release) => [release.platform, release.stagingPercentage])).toEqual([
        ['linux', 10],
        ['win', 50],
      ]);
      expect(await repository.fleet.setStagingPercentage('1.2.0', 100)).toBe(2);
      expect(await repository.fleet.setStagingPercentage('9.9.9', 100)).toBe(0);
    });

    it("keeps each station's last report only", async () => {
      const repository = await open();
      await repository.migrate();
      await repository.fleet.saveStationReport('S2', report('1.0.0'), 10);
      await repository.fleet.saveStationReport('S1', report('1.0.0'), 11);
      await repository.fleet.saveStationReport('S1', report('1.1.0'), 12);
      expect(await repository.fleet.stationReports()).toEqual([
        { stationId: 'S1', report: report('1.1.0'), receivedAt: 12 },
        { stationId: 'S2', report: report('1.0.0'), receivedAt: 10 },
      ]);
    });
  });
}
