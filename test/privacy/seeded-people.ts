import { amendRegistration, newRegistration, personNameKey, personRecord, syntheticCrossing, syntheticSource, travelDocumentRecord, type Crossing, type Registration } from '../../domain/records';
import { mrzName, type Needle } from './leak-search';

/**
 * A synthetic traveller and officer whose every detail is a string no program prints by
 * chance, so that finding one in a log can only mean the log carries personal data.
 */
export const traveller = {
  surname: 'ZZQXWYRTLEAKCHECK',
  givenNames: 'VLNPROBEONE',
  documentNumber: 'LK7Q9X2W1',
  birthDate: '1931-07-29',
  /** The same date as officers write it. */
  birthDateWritten: '29.07.1931',
  nationality: 'SRB',
  /** The private host, with the quotes a nickname brings (JSON escapes them). */
  hostName: 'Ognjen "Ogi" QZHOSTPROBEXY',
  hostIdNumber: '2907931185007',
  street: 'Ulica QZSTREETPROBE',
  place: 'Qzplaceprobe',
} as const;

export const officer = {
  /** Non-ASCII on purpose: a serialiser may write it as \u escapes. */
  name: 'Šejla ĐQJXOFFICERPROBE',
  username: 'qjx.probeofficer',
  badge: 'B-QJX7731',
  /** A supervisor, so that the test may read the conflict log as the station does. */
  role: 'supervisor',
} as const;

export const NEW_PASSWORD = 'QJX new password by the river 42';
export const WRONG_PASSWORD = 'QJX wrong password probe 17';

export const personalDataNeedles: Needle[] = [
  { label: 'traveller surname', value: traveller.surname, mrz: mrzName(traveller.surname, traveller.givenNames) },
  { label: 'traveller given names', value: traveller.givenNames },
  // The search keys the records carry are the name too, spelled otherwise (LEAKCHECK -> LEAKCECK).
  { label: 'traveller name key', value: personNameKey(traveller.surname, traveller.givenNames) },
  { label: 'traveller surname key', value: personNameKey(traveller.surname, '').replace(/<+$/, '') },
  { label: 'traveller document number', value: traveller.documentNumber },
  { label: 'traveller birth date', value: traveller.birthDate },
  { label: 'traveller birth date (written)', value: traveller.birthDateWritten },
  { label: "host's name", value: traveller.hostName },
  { label: "host's surname", value: 'QZHOSTPROBEXY' },
  { label: "host's id number", value: traveller.hostIdNumber },
  { label: 'street', value: traveller.street },
  { label: 'place', value: traveller.place },
  { label: 'officer name', value: officer.name },
  { label: 'officer surname', value: 'QJXOFFICERPROBE' },
  { label: 'officer username', value: officer.username },
  { label: 'officer badge number', value: officer.badge },
];

/** The registration of the traveller, at a private host, as the station makes it. */
export function travellerRegistration(stationId: string, officerId: string, at: number): Registration {
  return newRegistration(
    {
      person: { surname: traveller.surname, givenNames: traveller.givenNames, sex: 'M', birthDate: traveller.birthDate, nationality: traveller.nationality },
      document: { documentCode: 'P', documentNumber: traveller.documentNumber, issuingState: traveller.nationality, expiryDate: '2031-01-01' },
      address: { street: traveller.street, houseNumber: 'bb', postcode: '77000', place: traveller.place, municipality: 'Bihać' },
      accommodation: { type: 'private', hostName: traveller.hostName, hostIdNumber: traveller.hostIdNumber },
      arrivalAt: at - 3_600_000,
      plannedDepartureDate: '2031-01-01',
      purposeCode: 'FAMILY',
    },
    { stationId, officerId, at },
  );
}

/** The same registration amended: the traveller moved to another house of the host. */
export function amendedAtStation(registration: Registration, officerId: string, at: number): Registration {
  return amendRegistration(registration, { address: { ...registration.address, houseNumber: '12' } }, { officerId, at });
}

/** The same registration corrected at the centre: the house number was wrong. */
export function correctedCentrally(registration: Registration, officerId: string, at: number): Registration {
  return amendRegistration(registration, { address: { ...registration.address, houseNumber: '7A' } }, { officerId, at });
}

/**
 * A registration the server must refuse (RECORD_INVALID): the surname typed into the
 * nationality field as well, so that an error message quoting the value would leak it.
 */
export function invalidRegistration(stationId: string, officerId: string, at: number): Registration {
  const registration = travellerRegistration(stationId, officerId, at);
  return { ...registration, person: { ...registration.person, nationality: traveller.surname } };
}

/** The traveller crossing the border into the country, admitted. */
export function travellerCrossing(stationId: string, officerId: string, at: number): Crossing {
  const source = syntheticSource(7, { stationId, officerIds: [officerId], from: at });
  return syntheticCrossing(source, {
    person: personRecord({ surname: traveller.surname, givenNames: traveller.givenNames, sex: 'M', birthDate: traveller.birthDate, nationality: traveller.nationality }),
    document: travelDocumentRecord({ documentCode: 'P', documentNumber: traveller.documentNumber, issuingState: traveller.nationality, expiryDate: '2031-01-01' }),
    decision: { outcome: 'admitted' },
  });
}

/** A watchlist naming the traveller, as the CSV an administrator imports. */
export function watchlistCsv(): string {
  return [
    'id,kind,surname,givenNames,birthDate,nationality,documentNumber,issuingState,validFrom,validUntil,issuingAuthority',
    `ALERT-QJX-1,entry-ban,${traveller.surname},${traveller.givenNames},${traveller.birthDate},${traveller.nationality},${traveller.documentNumber},${traveller.nationality},2025-01-01,,Granična policija BiH`,
  ].join('\n');
}

/** A watchlist row the import refuses: the birth date as officers write it, the surname in the nationality column. */
export function invalidWatchlistCsv(): string {
  return [
    'id,kind,surname,givenNames,birthDate,nationality,documentNumber,issuingState,validFrom,validUntil,issuingAuthority',
    `ALERT-QJX-2,wanted,${traveller.surname},${traveller.givenNames},${traveller.birthDateWritten},${traveller.surname},${traveller.documentNumber},${traveller.nationality},2025-01-01,,Granična policija BiH`,
  ].join('\n');
}

/** The traveller's passport MRZ (TD3) as a worn reader garbles it: an O read for a 0, wrong check digits. */
export function garbledMrz(): string {
  const line1 = `P<SRB${mrzName(traveller.surname, traveller.givenNames)}`.padEnd(44, '<');
  const line2 = `${traveller.documentNumber}5SRB31O7291M3101015${'<'.repeat(14)}04`;
  return `${line1}\n${line2}\n`;
}
