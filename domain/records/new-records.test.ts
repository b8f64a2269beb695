import { describe, expect, it } from 'vitest';
import { isUuidV7, timestampOfUuidV7 } from '../ids';
import { alertValidator } from './alerts';
import { biometricValidator } from './biometrics';
import { crossingValidator } from './crossings';
import { type CrossingDraft, type RegistrationDraft, alertRecord, correctionOf, newBiometric, newCrossing, newRegistration } from './new-records';
import { amendRegistration, cancelRegistration } from './registration-edits';
import { registrationValidator } from './registrations';

const at = Date.UTC(2025, 6, 14, 9, 30);
const counter = { stationId: 'ps-sarajevo-centar', officerId: 'officer-17', at };

const draft: RegistrationDraft = {
  person: { surname: 'Đurić', givenNames: 'Ana Marija', sex: 'F', birthDate: '1991-03-08', nationality: 'SRB' },
  document: { documentCode: 'P', documentNumber: 'ab 123-4567', issuingState: 'SRB', expiryDate: '2031-01-01' },
  address: { street: 'Ferhadija', houseNumber: '12', postcode: '71000', place: 'Sarajevo', municipality: 'Stari Grad' },
  accommodation: { type: 'private', hostName: 'Edin Hodžić', hostIdNumber: '0101990170007' },
  arrivalAt: at - 20 * 3_600_000,
  plannedDepartureDate: '2025-07-24',
  purposeCode: 'TOURISM',
};

describe('newRegistration', () => {
  const registration = newRegistration(draft, counter);

  it('fills what the station knows: a UUIDv7 id of the moment, station, officer, and not yet synced', () => {
    expect(isUuidV7(registration.id)).toBe(true);
    expect(timestampOfUuidV7(registration.id)).toBe(at);
    expect(registration).toMatchObject({ stationId: 'ps-sarajevo-centar', officerId: 'officer-17', createdAt: at, receivedAt: 0 });
  });

  it('derives the search keys: the name key and the document number as stored', () => {
    expect(registration.person.nameKey).toBe('DURIC<<ANAMARIJA');
    expect(registration.person.surname).toBe('Đurić');
    expect(registration.document.documentNumber).toBe('AB1234567');
  });

  it('starts at revision 1, active, registered now unless said otherwise', () => {
    expect(registration).toMatchObject({ revisionNumber: 1, status: 'active', updatedAt: at, updatedBy: 'officer-17', registeredAt: at });
    expect(newRegistration({ ...draft, registeredAt: at - 3_600_000 }, counter).registeredAt).toBe(at - 3_600_000);
  });

  it('makes a record the sync server accepts', () => {
    expect(registrationValidator.safeParse(registration).error).toBeUndefined();
  });

  it('keeps nothing the draft carries beyond its type', () => {
    const withExtra = { ...draft, notes: 'typed into a field that does not exist' } as RegistrationDraft;
    expect(newRegistration(withExtra, counter)).not.toHaveProperty('notes');
  });
});

describe('amendRegistration', () => {
  const registration = newRegistration(draft, counter);
  const later = { officerId: 'officer-23', at: at + 3_600_000 };

  it('makes a new revision: counted up, stamped with who and when, to be synced again', () => {
    const synced = { ...registration, receivedAt: at + 60_000 };
    const amended = amendRegistration(synced, { plannedDepartureDate: '2025-07-30' }, later);
    expect(amended).toMatchObject({ revisionNumber: 2, status: 'amended', updatedAt: later.at, updatedBy: 'officer-23', receivedAt: 0, plannedDepartureDate: '2025-07-30' });
    expect(amendRegistration(amended, { purposeCode: 'FAMILY' }, later).revisionNumber).toBe(3);
  });

  it('keeps who made the registration, and when', () => {
    const amended = amendRegistration(registration, { purposeCode: 'FAMILY' }, later);
    expect(amended).toMatchObject({ id: registration.id, officerId: 'officer-17', createdAt: at, registeredAt: at });
  });

  it('derives the name key again when the name changes', () => {
    const amended = amendRegistration(registration, { person: { ...draft.person, surname: 'Hodžić' } }, later);
    expect(amended.person.nameKey).toBe('HODZIC<<ANAMARIJA');
    expect(registrationValidator.safeParse(amended).error).toBeUndefined();
  });

  it('refuses to change a cancelled registration', () => {
    const cancelled = cancelRegistration(registration, 'Registered twice', later);
    expect(() => amendRegistration(cancelled, { purposeCode: 'FAMILY' }, later)).toThrow(expect.objectContaining({ code: 'REGISTRATION_CANCELLED' }));
  });
});

describe('cancelRegistration', () => {
  const registration = newRegistration(draft, counter);
  const later = { officerId: 'officer-23', at: at + 7_200_000 };

  it('records when, by whom and why, as a new revision the sync server accepts', () => {
    const cancelled = cancelRegistration(registration, 'The guest did not arrive', later);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      revisionNumber: 2,
      receivedAt: 0,
      cancellation: { cancelledAt: later.at, cancelledBy: 'officer-23', reason: 'The guest did not arrive' },
    });
    expect(registrationValidator.safeParse(cancelled).error).toBeUndefined();
  });

  it('cancels only once', () => {
    const cancelled = cancelRegistration(registration, 'Duplicate', later);
    expect(() => cancelRegistration(cancelled, 'Duplicate', later)).toThrow(expect.objectContaining({ code: 'REGISTRATION_CANCELLED' }));
  });
});

const crossingDraft: CrossingDraft = {
  direction: 'entry',
  decision: { outcome: 'refused', reasons: ['C', 'E'] },
  authority: 'Border police unit Izačić',
  crossingPointId: 'gp-izacic',
  occurredAt: at - 30_000,
  person: { surname: 'Ђурић', givenNames: 'Марко', sex: 'M', birthDate: '1980', nationality: 'SRB' },
  document: { documentCode: 'P', documentNumber: 'X1234567', issuingState: 'SRB' },
  checks: [{ check: 'visa.required', severity: 'critical', outcome: 'failed' }],
};

describe('newCrossing and correctionOf', () => {
  const border = { stationId: 'gp-izacic', officerId: 'officer-5', at };
  const crossing = newCrossing(crossingDraft, border);

  it('makes an original record: nothing to correct, name keyed across scripts, accepted by the server', () => {
    expect(crossing.correctsId).toBe('');
    expect(crossing.person.nameKey).toBe('DURIC<<MARKO');
    expect(crossing).not.toHaveProperty('visa');
    expect(crossingValidator.safeParse(crossing).error).toBeUndefined();
  });

  it('corrects by a new record that points at the original and changes only what the officer changed', () => {
    const correction = correctionOf(crossing, { decision: { outcome: 'admitted' } }, { ...border, at: at + 600_000 });
    expect(correction.id).not.toBe(crossing.id);
    expect(correction.correctsId).toBe(crossing.id);
    expect(correction.decision).toEqual({ outcome: 'admitted' });
    expect(correction.person).toEqual(crossing.person);
    expect(correction.createdAt).toBe(at + 600_000);
    expect(crossingValidator.safeParse(correction).error).toBeUndefined();
  });
});

describe('newBiometric', () => {
  it('links the capture to its record', () => {
    const biometric = newBiometric(
      { recordType: 'crossing', recordId: '018cc254-17f5-71e0-bf48-ff448953a60f', capture: { outcome: 'exempt', reason: 'UNDER_AGE' } },
      { stationId: 'gp-izacic', officerId: 'officer-5', at },
    );
    expect(biometricValidator.safeParse(biometric).error).toBeUndefined();
    expect(biometric.recordId).toBe('018cc254-17f5-71e0-bf48-ff448953a60f');
  });
});

describe('alertRecord', () => {
  const alert = {
    id: 'alert-77',
    kind: 'entry-ban' as const,
    validFrom: '2024-01-01',
    issuingAuthority: 'Service for Foreigners Affairs',
    updatedAt: at,
    documentNumber: '',
    issuingState: '',
  };

  it('keys a person alert by name and stores its document number as persons have it', () => {
    const record = alertRecord({ ...alert, surname: 'Djurić', givenNames: 'Ana', documentNumber: 'x 99-1' });
    expect(record.nameKey).toBe('DURIC<<ANA');
    expect(record.documentNumber).toBe('X991');
    expect(alertValidator.safeParse(record).error).toBeUndefined();
  });

  it('keys a re-imported alert by its new name, not the one it had', () => {
    const before = alertRecord({ ...alert, surname: 'Djurić', givenNames: 'Ana' });
    expect(alertRecord({ ...before, surname: 'Hodžić' }).nameKey).toBe('HODZIC<<ANA');
  });

  it("keys an alert on a document alone under no name", () => {
    expect(alertRecord({ ...alert, kind: 'lost-stolen-document', documentNumber: 'X991' }).nameKey).toBe('');
  });
});
