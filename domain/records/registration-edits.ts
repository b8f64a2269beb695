import { RecordError } from './errors';
import { type RegistrationDraft, personRecord, travelDocumentRecord } from './new-records';
import type { Registration } from './registrations';

/**
 * The two edits a registration allows. Each one is a new revision: revisionNumber
 * counts up, updatedAt and updatedBy say when and by whom (the conflict log shows
 * them), and receivedAt goes back to 0 because the server does not have this revision
 * yet. A cancelled registration is final.
 */

/** An edit's officer and time, by the station clock. */
export interface EditBy {
  officerId: string;
  at: number;
}

type Amendable = Omit<RegistrationDraft, 'registeredAt'>;

function refuseIfCancelled(registration: Registration): void {
  if (registration.status === 'cancelled') {
    throw new RecordError('REGISTRATION_CANCELLED', 'This registration was cancelled and can no longer be changed; make a new registration instead');
  }
}

function nextRevision(registration: Registration, by: EditBy): Pick<Registration, 'revisionNumber' | 'updatedAt' | 'updatedBy' | 'receivedAt'> {
  return { revisionNumber: registration.revisionNumber + 1, updatedAt: by.at, updatedBy: by.officerId, receivedAt: 0 };
}

export function amendRegistration(registration: Registration, changes: Partial<Amendable>, by: EditBy): Registration {
  refuseIfCancelled(registration);
  const { person, document, ...otherChanges } = changes;
  return {
    ...registration,
    ...otherChanges,
    ...nextRevision(registration, by),
    status: 'amended',
    person: person ? personRecord(person) : registration.person,
    document: document ? travelDocumentRecord(document) : registration.document,
  };
}

export function cancelRegistration(registration: Registration, reason: string, by: EditBy): Registration {
  refuseIfCancelled(registration);
  return {
    ...registration,
    ...nextRevision(registration, by),
    status: 'cancelled',
    cancellation: { cancelledAt: by.at, cancelledBy: by.officerId, reason },
  };
}
