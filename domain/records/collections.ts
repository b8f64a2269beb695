import type { MigrationStrategies, RxJsonSchema } from 'rxdb';
import { type Alert, alertSchema } from './alerts';
import { type AuditEntry, auditEntrySchema } from './audit';
import { type Biometric, biometricSchema } from './biometrics';
import { type CodeListEntry, codeListEntrySchema } from './code-lists';
import { type Crossing, crossingSchema } from './crossings';
import { migrationStrategies } from './migrations';
import { type Officer, officerSchema } from './officers';
import { type Registration, registrationSchema } from './registrations';
import { type Station, stationSchema } from './stations';

/** The document type each collection holds. */
export interface CollectionDocuments {
  registrations: Registration;
  crossings: Crossing;
  biometrics: Biometric;
  audit: AuditEntry;
  alerts: Alert;
  officers: Officer;
  stations: Station;
  codeLists: CodeListEntry;
}

export type CollectionName = keyof CollectionDocuments;

export interface CollectionDefinition<Document> {
  schema: RxJsonSchema<Document>;
  migrationStrategies: MigrationStrategies;
}

/**
 * Every collection of the station's database, as the store passes them to
 * `db.addCollections(collectionDefinitions)`. Records made on the station
 * (registrations, crossings, biometrics, audit) are pushed to the server; the rest
 * is reference data, pulled only.
 */
export const collectionDefinitions: { readonly [Name in CollectionName]: CollectionDefinition<CollectionDocuments[Name]> } = {
  registrations: { schema: registrationSchema, migrationStrategies: migrationStrategies.registrations },
  crossings: { schema: crossingSchema, migrationStrategies: migrationStrategies.crossings },
  biometrics: { schema: biometricSchema, migrationStrategies: migrationStrategies.biometrics },
  audit: { schema: auditEntrySchema, migrationStrategies: migrationStrategies.audit },
  alerts: { schema: alertSchema, migrationStrategies: migrationStrategies.alerts },
  officers: { schema: officerSchema, migrationStrategies: migrationStrategies.officers },
  stations: { schema: stationSchema, migrationStrategies: migrationStrategies.stations },
  codeLists: { schema: codeListEntrySchema, migrationStrategies: migrationStrategies.codeLists },
};
