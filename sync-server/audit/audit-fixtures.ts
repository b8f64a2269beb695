import { type AuditEntry, syntheticAuditEntry, syntheticOfficer, syntheticSource } from '../../domain/records';
import type { PushRow, WireDocument } from '../../domain/sync';
import { importReference } from '../reference/import';
import { addStation } from '../reference/stations';
import type { SyncRepository } from '../store/repository';
import { sha256Hex } from './chain-check';

/**
 * Stations with officers and audit trails on a real server store, for the audit tests
 * (push checks, verifier, CLI): the entries go through the same push as a station's.
 */

export interface AuditStation {
  stationId: string;
  token: string;
  officerIds: string[];
}

let stations = 0;

/** A new station on the server, with its credential and two officers of its own. */
export async function addAuditStation(repository: SyncRepository, stationId = `BIH-AUD-${++stations}`): Promise<AuditStation> {
  const { token } = await addStation(repository, { id: stationId, name: stationId, kind: 'border-crossing', municipality: 'Bihać', crossingPointCode: 'IZ' }, Date.now());
  const source = syntheticSource(stations * 31);
  const officers = [0, 1].map((n) => syntheticOfficer(source, { id: `${stationId}-officer-${n}`, username: `${stationId.toLowerCase()}.${n}`, stationIds: [stationId] }));
  await importReference(repository, 'officers', officers);
  return { stationId, token, officerIds: officers.map((officer) => officer.id) };
}

/** A station's intact trail of `length` entries, hashed with SHA-256; another `seed`, other ids and times. */
export function auditChainOf(station: AuditStation, length: number, seed = 1): AuditEntry[] {
  // Ids come from the seeded source: each station seeds its own, so that no two share one.
  const stationSeed = [...station.stationId].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 1_000_003, 0);
  const source = syntheticSource(stationSeed * 1_000 + seed, { stationId: station.stationId, officerIds: station.officerIds });
  const entries: AuditEntry[] = [];
  for (let n = 0; n < length; n++) entries.push(syntheticAuditEntry(source, entries.at(-1), sha256Hex));
  return entries;
}

/** Entries as a station pushes them. */
export function pushRows(entries: AuditEntry[]): PushRow[] {
  return entries.map((entry) => ({ newDocumentState: { ...entry, _deleted: false } as WireDocument }));
}
