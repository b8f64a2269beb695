import type { Logger } from 'pino';
import { DeviceError, type Device, type DeviceState, type DriverRegistry, type MrzReading } from '../../devices';
import { TrainingMrzReader } from '../../devices/simulators/training-reader';
import { loadDeviceSettings, saveDeviceSettings, type DeviceSetting, type DeviceSettings } from './device-settings';

/** One device as the officer's status bar and the admin's device screen show it. */
export interface DeviceView {
  id: string;
  label: string;
  protocol: string;
  kind: Device['kind'] | 'unknown';
  transport: DeviceSetting['address']['transport'];
  state: DeviceState['kind'] | 'disabled';
  /** Why it cannot be used (error), or what it is doing (busy). */
  detail: string | null;
  retrying: boolean;
  /** When it entered this state, ISO 8601. */
  since: string;
}

/** A document read by any reader (or typed by a keyboard-wedge reader): its MRZ text. */
export interface DeviceReading {
  deviceId: string;
  framing: string;
  text: string;
  at: string;
}

interface Managed {
  setting: DeviceSetting;
  device: Device | null;
  view: DeviceView;
  stop: () => void;
}

/** The id readings typed by a keyboard-wedge reader arrive under (the renderer detects them). */
export const KEYBOARD_WEDGE_ID = 'keyboard-wedge';

/**
 * The station's readers and scanners: makes each configured device from the driver
 * registry, opens it, keeps its status (the drivers reconnect by themselves; the manager
 * only reports), and passes every document read on to whoever listens. A device that
 * cannot even be made (no driver, no system library) is a status, never a crash.
 */
export class DeviceManager {
  private managed = new Map<string, Managed>();
  private readonly statusListeners = new Set<(views: DeviceView[]) => void>();
  private readonly readingListeners = new Set<(reading: DeviceReading) => void>();
  private started = false;

  constructor(
    private readonly settingsFile: string,
    private readonly registry: DriverRegistry,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens the configured devices; a settings file that cannot be used is reported as such. */
  async start(): Promise<void> {
    this.started = true;
    let settings: DeviceSettings;
    try {
      settings = loadDeviceSettings(this.settingsFile);
    } catch (error) {
      this.log.error({ errorName: (error as Error).name }, 'the device settings cannot be used');
      this.problem = (error as Error).message;
      this.emitStatus();
      return;
    }
    await this.apply(settings);
  }

  /** Why the device settings cannot be used, if they cannot. */
  problem: string | null = null;

  status(): DeviceView[] {
    return [...this.managed.values()].map((managed) => managed.view);
  }

  settings(): DeviceSettings {
    return { devices: [...this.managed.values()].map((managed) => managed.setting) };
  }

  onStatus(listener: (views: DeviceView[]) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onReading(listener: (reading: DeviceReading) => void): () => void {
    this.readingListeners.add(listener);
    return () => this.readingListeners.delete(listener);
  }

  /** Saves new settings (whole or not at all) and reopens the devices accordingly. */
  async configure(settings: DeviceSettings): Promise<void> {
    saveDeviceSettings(this.settingsFile, settings);
    this.problem = null;
    await this.apply(settings);
  }

  /** A keyboard-wedge reader's burst, as the renderer caught it: on the same path as any reader's document. */
  wedgeReading(text: string): void {
    this.emitReading({ deviceId: KEYBOARD_WEDGE_ID, framing: 'keyboard-wedge', text, at: new Date(this.now()).toISOString() });
  }

  /** Puts a synthetic document on a training reader's glass. */
  presentTrainingDocument(deviceId: string): void {
    const device = this.managed.get(deviceId)?.device;
    if (!(device instanceof TrainingMrzReader)) throw new DeviceError('DEVICE_NOT_FOUND', `There is no training reader called ${deviceId}.`);
    device.present();
  }

  /** The fingerprint scanner of that id, open and ready for a capture. */
  scanner(deviceId: string) {
    const device = this.managed.get(deviceId)?.device;
    if (!device || device.kind !== 'fingerprint-scanner') throw new DeviceError('DEVICE_NOT_FOUND', `There is no fingerprint scanner called ${deviceId}.`);
    return device;
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.closeAll();
  }

  private async apply(settings: DeviceSettings): Promise<void> {
    await this.closeAll();
    for (const setting of settings.devices) this.managed.set(setting.id, this.make(setting));
    this.emitStatus();
    await Promise.all(
      [...this.managed.values()].map(async (managed) => {
        if (!managed.device || !this.started) return;
        try {
          await managed.device.open();
        } catch (error) {
          // The driver reports its own state (and retries where it can); an open that throws is one more error state.
          this.setState(managed, { kind: 'error', reason: (error as Error).message, retrying: false });
        }
      }),
    );
  }

  private make(setting: DeviceSetting): Managed {
    const view: DeviceView = {
      id: setting.id,
      label: setting.label,
      protocol: setting.protocol,
      kind: 'unknown',
      transport: setting.address.transport,
      state: setting.enabled ? 'connecting' : 'disabled',
      detail: null,
      retrying: false,
      since: new Date(this.now()).toISOString(),
    };
    const managed: Managed = { setting, device: null, view, stop: () => undefined };
    if (!setting.enabled) return managed;
    if (setting.address.transport === 'keyboard-wedge') {
      // It types into the window: the renderer catches its bursts, there is nothing to open here.
      view.kind = 'mrz-reader';
      view.state = 'ready';
      return managed;
    }
    const factory = this.registry.lookup(setting.protocol);
    if (!factory) {
      view.state = 'error';
      view.detail = `No driver for the protocol '${setting.protocol}' is installed on this station.`;
      return managed;
    }
    view.kind = factory.kind;
    let device: Device;
    try {
      device = factory.create(setting.address);
    } catch (error) {
      view.state = 'error';
      view.detail = (error as Error).message;
      return managed;
    }
    managed.device = device;
    const onState = (state: DeviceState): void => this.setState(managed, state);
    const onDiscarded = ({ count, reason }: { count: number; reason: string }): void => {
      // Counts and reasons only: the bytes may be part of a document.
      this.log.warn({ device: setting.id, count, reason }, 'device bytes discarded');
    };
    if (device.kind === 'mrz-reader') {
      const onDocument = (reading: MrzReading): void => this.emitReading({ deviceId: setting.id, framing: reading.framing, text: reading.text, at: new Date(this.now()).toISOString() });
      device.on('state', onState).on('discarded', onDiscarded).on('document', onDocument);
      managed.stop = () => device.off('state', onState).off('discarded', onDiscarded).off('document', onDocument);
    } else {
      device.on('state', onState).on('discarded', onDiscarded);
      managed.stop = () => device.off('state', onState).off('discarded', onDiscarded);
    }
    return managed;
  }

  private setState(managed: Managed, state: DeviceState): void {
    const detail = state.kind === 'error' ? state.reason : state.kind === 'busy' ? state.activity : null;
    const retrying = state.kind === 'error' && state.retrying;
    const view = managed.view;
    if (view.state === state.kind && view.detail === detail && view.retrying === retrying) return;
    managed.view = { ...view, state: state.kind, detail, retrying, since: new Date(this.now()).toISOString() };
    this.log.info({ device: managed.setting.id, state: state.kind, retrying }, 'device state');
    this.emitStatus();
  }

  private async closeAll(): Promise<void> {
    const closing = [...this.managed.values()];
    this.managed = new Map();
    for (const managed of closing) managed.stop();
    await Promise.all(closing.map((managed) => managed.device?.close().catch(() => undefined)));
    if (closing.length > 0) this.emitStatus();
  }

  private emitStatus(): void {
    const views = this.status();
    for (const listener of [...this.statusListeners]) listener(views);
  }

  private emitReading(reading: DeviceReading): void {
    for (const listener of [...this.readingListeners]) listener(reading);
  }
}
