import { fingerprintSimulatorTransport } from '../simulators/fingerprint-simulator';
import { isFingerprintScenario } from '../simulators/fingerprint-simulated-module';
import { DeviceError, type DeviceAddress, type DriverFactory } from '../types';
import { Gt521Scanner } from './gt521-scanner';
import { serialTransport, type TransportOpener } from './transport';
import { ZfmScanner } from './zfm-scanner';

/** Where a fingerprint driver's bytes go: a serial port, or a simulated module for training and demos. */
function transportFor(address: DeviceAddress, protocol: 'zfm' | 'gt521'): { where: string; openTransport: TransportOpener } {
  if (address.transport === 'serial') return { where: address.path, openTransport: serialTransport(address) };
  if (address.transport === 'simulator') {
    const scenario = address.scenario ?? 'normal';
    if (!isFingerprintScenario(scenario)) throw new DeviceError('DEVICE_NOT_FOUND', `No fingerprint simulator scenario is called '${scenario}'.`);
    return { where: `the ${protocol} simulator (${scenario})`, openTransport: fingerprintSimulatorTransport(protocol, scenario) };
  }
  throw new DeviceError('DEVICE_NOT_FOUND', `A ${protocol} fingerprint module is reached over a serial port or simulated, not over ${address.transport}.`);
}

/** ZhianTec R30x / ZFM / AS608 modules (57600 baud, 8N1 by factory setting). */
export const zfmScannerFactory: DriverFactory = {
  protocol: 'zfm',
  kind: 'fingerprint-scanner',
  transports: ['serial', 'simulator'],
  create(address) {
    const { where, openTransport } = transportFor(address, 'zfm');
    return new ZfmScanner(where, openTransport);
  },
};

/** ADH-Tech GT-521Fxx modules (9600 baud 8N1 after power-on; the driver moves to 115200 for transfers). */
export const gt521ScannerFactory: DriverFactory = {
  protocol: 'gt521',
  kind: 'fingerprint-scanner',
  transports: ['serial', 'simulator'],
  create(address) {
    const { where, openTransport } = transportFor(address, 'gt521');
    return new Gt521Scanner(where, openTransport, address.transport === 'serial' ? { lineBaudRate: address.baudRate } : { transferBaudRate: null });
  },
};
