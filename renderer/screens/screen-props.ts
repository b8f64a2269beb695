import type { MisBridge, RequestOutput, SignedInOfficer } from '../../main/api/types';

export type StationDetails = RequestOutput<'reference.station'>;

/** What the frame gives every screen. */
export interface ScreenProps {
  bridge: MisBridge;
  officer: SignedInOfficer;
  /** This station, once main answered (null before, or when the store is not open). */
  station: StationDetails | null;
}
