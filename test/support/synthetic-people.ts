import { buildMrz } from '../../domain/mrz';
import { type Alert, type Crossing, type PersonDetails, type Registration, alertRecord, newCrossing, personRecord, syntheticCrossing, syntheticRegistration, type SyntheticSource } from '../../domain/records';

/**
 * Records of chosen synthetic people (never real ones) for the tests that look them up:
 * their passports, earlier crossings and entry bans, and registrations and crossings of
 * them among the random synthetic ones.
 */

/** A synthetic traveller and the number of the passport they carry. */
export interface SyntheticTraveller {
  surname: string;
  givenNames: string;
  number: string;
  nationality: string;
  birthDate: string;
  sex: 'F' | 'M';
}

/** The traveller's passport zone (TD3), issued by their own state. */
export function passportLines(traveller: SyntheticTraveller, expiryDate: string): string[] {
  const built = buildMrz({
    format: 'TD3',
    documentCode: 'P',
    issuingState: traveller.nationality,
    surname: traveller.surname,
    givenNames: traveller.givenNames,
    documentNumber: traveller.number,
    nationality: traveller.nationality,
    birthDate: traveller.birthDate,
    sex: traveller.sex,
    expiryDate,
  });
  if (!built.ok) throw new Error(built.error.message);
  return built.lines;
}

/** An earlier admitted crossing of the traveller at a station that is a crossing point. */
export function admittedCrossing(traveller: SyntheticTraveller, at: { direction: 'entry' | 'exit'; occurredAt: number; stationId: string; authority: string; officerId: string }): Crossing {
  return newCrossing(
    {
      direction: at.direction,
      decision: { outcome: 'admitted' },
      authority: at.authority,
      crossingPointId: at.stationId,
      occurredAt: at.occurredAt,
      person: { surname: traveller.surname, givenNames: traveller.givenNames, sex: traveller.sex, birthDate: traveller.birthDate, nationality: traveller.nationality },
      document: { documentCode: 'P', documentNumber: traveller.number, issuingState: traveller.nationality },
      checks: [],
    },
    { stationId: at.stationId, officerId: at.officerId, at: at.occurredAt },
  );
}

/** An entry ban on the person by name and birth (any document), as the server imports one. */
export function entryBan(id: string, person: Pick<SyntheticTraveller, 'surname' | 'givenNames' | 'birthDate' | 'nationality'>): Alert {
  return alertRecord({
    id,
    kind: 'entry-ban',
    surname: person.surname,
    givenNames: person.givenNames,
    birthDate: person.birthDate,
    nationality: person.nationality,
    documentNumber: '',
    issuingState: '',
    validFrom: '2020-01-01',
    issuingAuthority: 'Service for Foreigners Affairs',
    updatedAt: 1,
  });
}

/**
 * Builders of a synthetic registration or crossing (the rest drawn from the source) of a
 * named person of the given sex and nationality, with the chosen document number and time.
 */
export function namedRecords(source: SyntheticSource, alike: Pick<PersonDetails, 'sex' | 'nationality'>) {
  const person = (surname: string, givenNames: string, birthDate: string) => personRecord({ surname, givenNames, sex: alike.sex, birthDate, nationality: alike.nationality });
  return {
    registrationOf(surname: string, givenNames: string, birthDate: string, documentNumber: string, arrivalAt: number): Registration {
      const registration = syntheticRegistration(source);
      return {
        ...registration,
        person: person(surname, givenNames, birthDate),
        document: { ...registration.document, documentNumber },
        arrivalAt,
        registeredAt: arrivalAt + 3_600_000,
        plannedDepartureDate: new Date(arrivalAt + 5 * 86_400_000).toISOString().slice(0, 10),
      };
    },
    crossingOf(surname: string, givenNames: string, birthDate: string, documentNumber: string, occurredAt: number): Crossing {
      const crossing = syntheticCrossing(source);
      return { ...crossing, person: person(surname, givenNames, birthDate), document: { ...crossing.document, documentNumber }, occurredAt };
    },
  };
}
