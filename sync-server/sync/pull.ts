import { isReferenceCollection, type SyncedCollection, type WireDocument } from '../../domain/sync';
import { currentOfficerDocument } from '../officers/officers';
import type { PullScope, SyncRepository } from '../store/repository';

/**
 * Stands in for the password hash of an officer of other stations: officers' names reach
 * every station (audit trails and records name them), their hashes only the stations
 * they may log in at. It is no hash any password produces, so it never logs anyone in.
 */
export const WITHHELD_PASSWORD_HASH = '!withheld';

/**
 * An officer as a station sees it: in the current schema, and without the password hash
 * unless the officer may log in there.
 */
export function officerForStation(stored: WireDocument, stationId: string): WireDocument {
  const officer = currentOfficerDocument(stored);
  const stations = Array.isArray(officer.stationIds) ? (officer.stationIds as unknown[]) : [];
  if (stations.includes(stationId) || officer.passwordHash === undefined) return officer;
  return { ...officer, passwordHash: WITHHELD_PASSWORD_HASH };
}

/**
 * One page of what a station may see of a collection after its checkpoint, as the JSON
 * the pull route sends: its own records of a station collection, all of a reference
 * collection (officers shown as that station may see them). Documents that go out as
 * stored (every collection but officers) are copied into the page as the store holds
 * them: a watchlist's page of thousands is then not parsed and written out again.
 */
export async function pullPageJson(repository: SyncRepository, collection: SyncedCollection, stationId: string, after: number, limit: number): Promise<{ json: string; count: number }> {
  const scope: PullScope = isReferenceCollection(collection) ? { kind: 'all' } : { kind: 'station', stationId };
  if (collection === 'officers') {
    const { records, checkpoint } = await repository.pull(collection, scope, after, limit);
    const documents = records.map((record) => officerForStation(record.document, stationId));
    return { json: JSON.stringify({ documents, checkpoint: { sequence: checkpoint } }), count: documents.length };
  }
  const { documents, checkpoint } = await repository.pullTexts(collection, scope, after, limit);
  return { json: `{"documents":[${documents.join(',')}],"checkpoint":${JSON.stringify({ sequence: checkpoint })}}`, count: documents.length };
}
