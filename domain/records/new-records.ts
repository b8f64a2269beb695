import { newId } from '../ids';
import type { Alert } from './alerts';
import type { Biometric } from './biometrics';
import type { Crossing } from './crossings';
import { documentNumberKey, personNameKey } from './name-key';
import type { Person, TravelDocument } from './person';
import type { Registration } from './registrations';

/**
 * Records as the station makes them: the officer's input plus what is derived from it
 * (ids, search keys, canonical document numbers, bookkeeping fields), filled here so
 * that the UI never has to and every writer fills them the same way.
 */

/** Who makes a record, where, and when by the station clock (ms since the epoch). */
export interface Authorship {
  stationId: string;
  officerId: string;
  at: number;
}

/** A person as typed or read; the search key is derived. */
export type PersonDetails = Omit<Person, 'nameKey'>;

type StationMade = 'id' | 'stationId' | 'officerId' | 'createdAt' | 'receivedAt';

export type RegistrationDraft = Omit<
  Registration,
  StationMade | 'revisionNumber' | 'updatedAt' | 'updatedBy' | 'status' | 'cancellation' | 'person' | 'registeredAt'
> & {
  person: PersonDetails;
  /** When the registration was made, if not now (a provider's registration entered later). */
  registeredAt?: number;
};

export type CrossingDraft = Omit<Crossing, StationMade | 'person' | 'correctsId'> & { person: PersonDetails };

export type BiometricDraft = Omit<Biometric, StationMade>;

export type AlertDraft = Omit<Alert, 'nameKey'>;

export function personRecord(details: PersonDetails): Person {
  return {
    surname: details.surname,
    givenNames: details.givenNames,
    nameKey: personNameKey(details.surname, details.givenNames),
    sex: details.sex,
    birthDate: details.birthDate,
    nationality: details.nationality,
  };
}

export function travelDocumentRecord(document: TravelDocument): TravelDocument {
  const record: TravelDocument = {
    documentCode: document.documentCode,
    documentNumber: documentNumberKey(document.documentNumber),
    issuingState: document.issuingState,
  };
  if (document.expiryDate !== undefined) record.expiryDate = document.expiryDate;
  return record;
}

// Records are built field by field rather than by spreading the draft: nothing the
// draft carries beyond its type slips into a record, and V8 builds such literals ~100
// times faster than a spread followed by new fields (it matters for bulk imports).

/** `id` is for reproducible synthetic data; the station lets it default. */
export function newRegistration(draft: RegistrationDraft, by: Authorship, id: string = newId(by.at)): Registration {
  return {
    id,
    stationId: by.stationId,
    officerId: by.officerId,
    createdAt: by.at,
    receivedAt: 0,
    revisionNumber: 1,
    updatedAt: by.at,
    updatedBy: by.officerId,
    status: 'active',
    person: personRecord(draft.person),
    document: travelDocumentRecord(draft.document),
    address: draft.address,
    accommodation: draft.accommodation,
    arrivalAt: draft.arrivalAt,
    plannedDepartureDate: draft.plannedDepartureDate,
    purposeCode: draft.purposeCode,
    registeredAt: draft.registeredAt ?? by.at,
  };
}

export function newCrossing(draft: CrossingDraft, by: Authorship, id: string = newId(by.at)): Crossing {
  const crossing: Crossing = {
    id,
    stationId: by.stationId,
    officerId: by.officerId,
    createdAt: by.at,
    receivedAt: 0,
    direction: draft.direction,
    decision: draft.decision,
    authority: draft.authority,
    crossingPointId: draft.crossingPointId,
    occurredAt: draft.occurredAt,
    person: personRecord(draft.person),
    document: travelDocumentRecord(draft.document),
    checks: draft.checks,
    correctsId: '',
  };
  if (draft.visa) crossing.visa = draft.visa;
  return crossing;
}

/**
 * A crossing is never changed: a correction is a new crossing, the original with the
 * officer's changes, that points at the original. The original stays as it was.
 */
export function correctionOf(original: Crossing, changes: Partial<CrossingDraft>, by: Authorship, id: string = newId(by.at)): Crossing {
  const draft: CrossingDraft = {
    direction: original.direction,
    decision: original.decision,
    authority: original.authority,
    crossingPointId: original.crossingPointId,
    occurredAt: original.occurredAt,
    person: original.person,
    document: original.document,
    checks: original.checks,
    ...(original.visa ? { visa: original.visa } : {}),
    ...changes,
  };
  return { ...newCrossing(draft, by, id), correctsId: original.id };
}

export function newBiometric(draft: BiometricDraft, by: Authorship, id: string = newId(by.at)): Biometric {
  return {
    id,
    stationId: by.stationId,
    officerId: by.officerId,
    createdAt: by.at,
    receivedAt: 0,
    recordType: draft.recordType,
    recordId: draft.recordId,
    capture: draft.capture,
  };
}

/** For the server, which makes alerts from the watchlists it imports (and re-imports). */
export function alertRecord(draft: AlertDraft): Alert {
  const named = draft.surname !== undefined || draft.givenNames !== undefined;
  const alert: Alert = {
    id: draft.id,
    kind: draft.kind,
    nameKey: named ? personNameKey(draft.surname ?? '', draft.givenNames ?? '') : '',
    documentNumber: documentNumberKey(draft.documentNumber),
    issuingState: draft.issuingState,
    validFrom: draft.validFrom,
    issuingAuthority: draft.issuingAuthority,
    updatedAt: draft.updatedAt,
  };
  if (draft.surname !== undefined) alert.surname = draft.surname;
  if (draft.givenNames !== undefined) alert.givenNames = draft.givenNames;
  if (draft.birthDate !== undefined) alert.birthDate = draft.birthDate;
  if (draft.nationality !== undefined) alert.nationality = draft.nationality;
  if (draft.validUntil !== undefined) alert.validUntil = draft.validUntil;
  return alert;
}
