import { stationValidator } from '../../domain/records';
import { issueCredential } from '../auth/credentials';
import type { SyncRepository } from '../store/repository';
import { CENTRAL_WRITER } from '../sync/writers';
import { ImportError } from './import';

/**
 * Adds (or updates) a station in the reference data and issues it a credential. The
 * token is returned once, for IT staff to put on the station; the server keeps only its hash.
 */
export async function addStation(repository: SyncRepository, input: Record<string, unknown>, now: number): Promise<{ stationId: string; token: string }> {
  const parsed = stationValidator.safeParse({ ...input, updatedAt: now });
  if (!parsed.success) {
    throw new ImportError('The station does not match the station schema.', parsed.error.issues.map((issue) => ({ path: `/${issue.path.join('/')}`, message: issue.message })));
  }
  const station = parsed.data;
  await repository.transaction((tx) => tx.write([{ collection: 'stations', id: station.id, stationId: null, document: { ...station, _deleted: false }, writtenBy: CENTRAL_WRITER }], now));
  const { token } = await issueCredential(repository, station.id, now);
  return { stationId: station.id, token };
}
