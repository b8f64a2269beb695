/** Why a provisioning bundle was refused. Every message says what IT staff can do next. */
export type ProvisioningErrorCode =
  /** Not a provisioning bundle at all, or not one this version of the station understands. */
  | 'BUNDLE_UNREADABLE'
  /** Changed after the server signed it. */
  | 'BUNDLE_TAMPERED'
  /** Signed, but not by this station's central server. */
  | 'BUNDLE_FOREIGN'
  /** The server does not accept the bundle's credential: unknown station, or revoked. */
  | 'STATION_UNKNOWN'
  /** The server could not be asked to confirm the bundle. */
  | 'SERVER_UNREACHABLE'
  /** This data folder belongs to another station. */
  | 'STATION_MISMATCH'
  /** MIS Station is running on this data folder. */
  | 'STATION_RUNNING';

export class ProvisioningError extends Error {
  constructor(
    readonly code: ProvisioningErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProvisioningError';
  }
}
