import type Database from 'better-sqlite3-multiple-ciphers';
import type { StationReport } from '../../domain/station-report';
import {
  fileExists,
  fileFromRow,
  releaseFileValues,
  releaseFilter,
  releasesFromRows,
  sameRelease,
  type FileRow,
  type FleetStore,
  type Release,
  type ReleaseFile,
  type ReleaseKey,
  type ReleaseRow,
  type StoredStationReport,
} from './fleet-store';

/**
 * The fleet tables in the embedded SQLite file (migration 4). Writes go through the
 * repository's single writer, one transaction at a time (`write`); reads through its reader.
 */
export class SqliteFleetStore implements FleetStore {
  constructor(
    private readonly write: <T>(work: (db: Database.Database) => T) => Promise<T>,
    private readonly reader: Database.Database,
  ) {}

  addReleaseFile(key: ReleaseKey, file: Omit<ReleaseFile, 'addedAt'>, options: { stagingPercentage: number; at: number }): Promise<Release> {
    return this.write((db) => {
      const existing = db.prepare('SELECT * FROM release_files WHERE name = ?').get(file.name) as FileRow | undefined;
      if (existing && !(sameRelease(existing, key) && existing.sha512 === file.sha512 && Number(existing.size) === file.size)) throw fileExists(file.name);
      db.prepare(
        `INSERT INTO releases (channel, platform, arch, version, staging_percentage, released_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (channel, platform, arch, version) DO NOTHING`,
      ).run(key.channel, key.platform, key.arch, key.version, options.stagingPercentage, options.at);
      if (!existing) {
        db.prepare('INSERT INTO release_files (name, channel, platform, arch, version, sha512, size, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(...releaseFileValues(key, file, options.at));
      }
      return this.readReleases(db, key)[0]!;
    });
  }

  async releases(filter: Partial<Omit<ReleaseKey, 'version'>> = {}): Promise<Release[]> {
    return this.readReleases(this.reader, filter);
  }

  async releaseFile(name: string): Promise<{ release: ReleaseKey; file: ReleaseFile } | null> {
    const row = this.reader.prepare('SELECT * FROM release_files WHERE name = ?').get(name) as FileRow | undefined;
    if (!row) return null;
    return { release: { channel: row.channel, platform: row.platform, arch: row.arch, version: row.version }, file: fileFromRow(row) };
  }

  setStagingPercentage(version: string, percentage: number, filter: Partial<Pick<ReleaseKey, 'channel' | 'platform' | 'arch'>> = {}): Promise<number> {
    const { where, values } = releaseFilter({ ...filter, version }, () => '?');
    return this.write((db) => db.prepare(`UPDATE releases SET staging_percentage = ? ${where}`).run(percentage, ...values).changes);
  }

  async saveStationReport(stationId: string, report: StationReport, receivedAt: number): Promise<void> {
    await this.write((db) =>
      db
        .prepare(
          `INSERT INTO station_reports (station_id, report, received_at) VALUES (?, ?, ?)
            ON CONFLICT (station_id) DO UPDATE SET report = excluded.report, received_at = excluded.received_at`,
        )
        .run(stationId, JSON.stringify(report), receivedAt),
    );
  }

  async stationReports(): Promise<StoredStationReport[]> {
    const rows = this.reader.prepare('SELECT station_id, report, received_at FROM station_reports ORDER BY station_id').all() as { station_id: string; report: string; received_at: number }[];
    return rows.map((row) => ({ stationId: row.station_id, report: JSON.parse(row.report) as StationReport, receivedAt: row.received_at }));
  }

  private readReleases(db: Database.Database, filter: Partial<ReleaseKey>): Release[] {
    const { where, values } = releaseFilter(filter, () => '?');
    const releases = db.prepare(`SELECT * FROM releases ${where} ORDER BY channel, platform, arch, released_at, version`).all(...values) as ReleaseRow[];
    const files = db.prepare(`SELECT * FROM release_files ${where} ORDER BY added_at, name`).all(...values) as FileRow[];
    return releasesFromRows(releases, files);
  }
}
