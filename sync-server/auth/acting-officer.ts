import type { FastifyRequest } from 'fastify';
import { type ServerAction, roleAllows, serverActions } from '../../domain/identity';
import type { Officer } from '../../domain/records';
import { ServerError } from '../errors';
import { officerFromDocument } from '../officers/officers';
import type { SyncRepository } from '../store/repository';

/** The header in which a station names the officer it acts for. */
export const OFFICER_HEADER = 'x-mis-officer';

/**
 * The officer a station's request acts for, checked as the station checked them at
 * login, so that a station (or a forged request with its credential) cannot get more
 * from the server than the officer's role allows: the officer named in X-MIS-Officer must
 * exist, be active, be one of the authenticated station's officers, and have the role the
 * action needs (domain/identity's serverActions). Call it after authenticatedStation.
 */
export async function actingOfficer(request: FastifyRequest, repository: SyncRepository, stationId: string, action: ServerAction): Promise<Officer> {
  const header = request.headers[OFFICER_HEADER];
  const officerId = typeof header === 'string' ? header.trim() : '';
  if (officerId === '') {
    throw new ServerError(403, 'OFFICER_REQUIRED', 'This request acts for an officer: name the logged-in officer in the X-MIS-Officer header.');
  }
  const stored = (await repository.transaction((tx) => tx.read('officers', [officerId]))).get(officerId);
  const officer = stored && !stored.document._deleted ? officerFromDocument(stored.document) : null;
  if (!officer || !officer.stationIds.includes(stationId)) {
    throw new ServerError(403, 'OFFICER_NOT_OF_STATION', `Officer ${officerId.slice(0, 64)} is not an officer of this station.`);
  }
  if (!officer.active) throw new ServerError(403, 'OFFICER_INACTIVE', `Officer ${officer.id} has been deactivated.`);
  const required = serverActions[action];
  if (!roleAllows(officer.role, required)) {
    throw new ServerError(403, 'ROLE_REFUSED', `This needs the role ${required} or higher; officer ${officer.id} is ${officer.role === 'admin' ? 'an' : 'a'} ${officer.role}.`);
  }
  return officer;
}
