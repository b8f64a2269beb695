import type pg from 'pg';
import type { StationReport } from '../../domain/station-report';
import { onPooledConnection } from './postgres-connection';
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

const placeholder = (index: number): string => `$${index}`;

async function readReleases(client: Pick<pg.Pool, 'query'>, filter: Partial<ReleaseKey>): Promise<Release[]> {
  const { where, values } = releaseFilter(filter, placeholder);
  const releases = await client.query<ReleaseRow>(`SELECT * FROM releases ${where} ORDER BY channel, platform, arch, released_at, version`, values);
  const files = await client.query<FileRow>(`SELECT * FROM release_files ${where} ORDER BY added_at, name`, values);
  return releasesFromRows(releases.rows, files.rows);
}

/** The fleet tables in PostgreSQL (migration 4), shared by every server node on the database. */
export class PostgresFleetStore implements FleetStore {
  constructor(private readonly pool: pg.Pool) {}

  async addReleaseFile(key: ReleaseKey, file: Omit<ReleaseFile, 'addedAt'>, options: { stagingPercentage: number; at: number }): Promise<Release> {
    return onPooledConnection(this.pool, async (client, broke) => {
      try {
        await client.query('BEGIN');
        // Two admins adding the same name at once: the second waits for the first's row, then sees it.
        const existing = (await client.query<FileRow>('SELECT * FROM release_files WHERE name = $1 FOR UPDATE', [file.name])).rows[0];
        if (existing && !(sameRelease(existing, key) && existing.sha512 === file.sha512 && Number(existing.size) === file.size)) throw fileExists(file.name);
        await client.query(
          `INSERT INTO releases (channel, platform, arch, version, staging_percentage, released_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (channel, platform, arch, version) DO NOTHING`,
          [key.channel, key.platform, key.arch, key.version, options.stagingPercentage, options.at],
        );
        if (!existing) {
          await client.query('INSERT INTO release_files (name, channel, platform, arch, version, sha512, size, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', releaseFileValues(key, file, options.at));
        }
        const [release] = await readReleases(client, key);
        await client.query('COMMIT');
        return release!;
      } catch (error) {
        // The write's own failure is the one to report, also when the ROLLBACK fails after
        // it (a connection that died cannot roll back; PostgreSQL has dropped its transaction).
        await client.query('ROLLBACK').catch(broke);
        throw error;
      }
    });
  }

  releases(filter: Partial<Omit<ReleaseKey, 'version'>> = {}): Promise<Release[]> {
    return readReleases(this.pool, filter);
  }

  async releaseFile(name: string): Promise<{ release: ReleaseKey; file: ReleaseFile } | null> {
    const row = (await this.pool.query<FileRow>('SELECT * FROM release_files WHERE name = $1', [name])).rows[0];
    if (!row) return null;
    return { release: { channel: row.channel, platform: row.platform, arch: row.arch, version: row.version }, file: fileFromRow(row) };
  }

  async setStagingPercentage(version: string, percentage: number, filter: Partial<Pick<ReleaseKey, 'channel' | 'platform' | 'arch'>> = {}): Promise<number> {
    const { where, values } = releaseFilter({ ...filter, version }, (index) => placeholder(index + 1));
    const result = await this.pool.query(`UPDATE releases SET staging_percentage = $1 ${where}`, [percentage, ...values]);
    return result.rowCount ?? 0;
  }

  async saveStationReport(stationId: string, report: StationReport, receivedAt: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO station_reports (station_id, report, received_at) VALUES ($1, $2, $3)
        ON CONFLICT (station_id) DO UPDATE SET report = excluded.report, received_at = excluded.received_at`,
      [stationId, JSON.stringify(report), receivedAt],
    );
  }

  async stationReports(): Promise<StoredStationReport[]> {
    const rows = (await this.pool.query<{ station_id: string; report: StationReport; received_at: string }>('SELECT station_id, report, received_at FROM station_reports ORDER BY station_id')).rows;
    return rows.map((row) => ({ stationId: row.station_id, report: row.report, receivedAt: Number(row.received_at) }));
  }
}
