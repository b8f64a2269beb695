import { useEffect, useState } from 'react';
import type { DeviceReadingView } from '../../../main/api/contract';
import type { MisBridge } from '../../../main/api/types';

/** The last document each reader read while the settings are open, by device id (test reads: shown, never saved). */
export function useTestReadings(bridge: MisBridge): Record<string, DeviceReadingView> {
  const [readings, setReadings] = useState<Record<string, DeviceReadingView>>({});
  useEffect(() => bridge.subscribe('devices.readings', {}, (reading) => setReadings((current) => ({ ...current, [reading.deviceId]: reading })), () => undefined), [bridge]);
  return readings;
}
