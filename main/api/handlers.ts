import { DeviceError } from '../../devices';
import { discoverDevices } from '../../devices/discovery';
import { encodeGreyscalePng } from '../../devices/image/png';
import { SyncRequestError } from '../sync/sync-client';
import type { Handlers } from './dispatcher';
import { ApiError } from './errors';
import type { MainServices } from '../compose';
import type { CallContext } from './types';
import { crossingHandlers } from '../crossings/crossing-handlers';
import { referenceHandlers } from '../reference/reference-handlers';
import { searchHandlers } from '../search/search-handlers';
import { shiftHandlers } from '../shift/shift-handlers';

/** The officer of a call that the dispatcher let through for a role: there is one. */
export function officerOf(context: CallContext): { id: string } {
  const officer = context.session.officer;
  if (!officer) throw new ApiError('NOT_AUTHENTICATED', 'Log in first.');
  return officer;
}

/** The status bar's view of who is logged in. */
function officerShown(context: CallContext) {
  const officer = context.session.officer;
  return officer ? { id: officer.id, name: officer.name, role: officer.role } : null;
}

/** The contract's handlers, written once for both transports. */
export function createHandlers(services: MainServices): Handlers {
  const { auth } = services;
  return {
    requests: {
      'app.status': (_input, context) => ({ ...services.status.current(), officer: officerShown(context) }),
      'auth.session': (_input, context) => auth.view(context.session),
      'auth.login': (input, context) => auth.login(context.session, input.username, input.password),
      'auth.logout': (_input, context) => auth.logout(context.session),
      'auth.lock': (_input, context) => auth.lock(context.session),
      'auth.unlock': (input, context) => auth.unlock(context.session, input.password),
      // The dispatcher has already counted the call as activity.
      'auth.touch': (_input, context) => auth.view(context.session),
      'auth.changePassword': (input, context) => auth.changePassword(context.session, input.currentPassword, input.newPassword),
      'devices.status': () => services.devices.view(),
      'devices.wedgeReading': (input) => {
        services.devices.manager.wedgeReading(input.text);
        return {};
      },
      'devices.presentTraining': (input) => {
        try {
          services.devices.manager.presentTrainingDocument(input.deviceId);
        } catch (error) {
          if (error instanceof DeviceError) throw new ApiError('NOT_FOUND', error.message);
          throw error;
        }
        return {};
      },
      'devices.captureFinger': async (input, context) => {
        const officer = officerOf(context);
        try {
          const capture = await services.devices.manager.scanner(input.deviceId).capture({ timeoutMs: input.timeoutMs });
          // A person's fingerprint was taken: an access to biometric data, whatever is done with it next.
          await services.audited(officer.id, 'fingerprint.capture', { device: input.deviceId, quality: String(Math.round(capture.quality)) });
          return {
            width: capture.image.width,
            height: capture.image.height,
            pngBase64: Buffer.from(encodeGreyscalePng(capture.image)).toString('base64'),
            quality: capture.quality,
            qualityMethod: capture.qualityMethod,
            templateFormat: capture.template?.format ?? null,
          };
        } catch (error) {
          if (error instanceof DeviceError) throw new ApiError(error.code === 'DEVICE_NOT_FOUND' ? 'NOT_FOUND' : 'DEVICE_FAILED', error.message);
          throw error;
        }
      },
      'devices.available': () => discoverDevices(),
      'devices.settings': () => services.devices.manager.settings(),
      'devices.configure': async (input, context) => {
        const officer = officerOf(context);
        await services.audited(officer.id, 'config.devices', { devices: String(input.devices.length), ids: input.devices.map((device) => device.id).join(',').slice(0, 200) });
        await services.devices.manager.configure(input);
        return services.devices.view();
      },
      'registrations.prepare': (input, context) => services.registrations.prepare(officerOf(context).id, input),
      'registrations.create': (input, context) => services.registrations.create(officerOf(context).id, input),
      'registrations.get': (input, context) => services.registrations.get(officerOf(context).id, input.id),
      'registrations.amend': (input, context) => services.registrations.amend(officerOf(context).id, input.id, input.expectedRevisionNumber, input.changes),
      'registrations.cancel': (input, context) => services.registrations.cancel(officerOf(context).id, input.id, input.expectedRevisionNumber, input.reason),
      'sync.status': () => services.sync.status(),
      'sync.now': () => services.sync.syncNow(),
      'sync.conflicts': async (_input, context) => {
        const officer = officerOf(context);
        try {
          const log = await services.sync.conflictLog(officer.id);
          // The log holds registrations, with their people: opening it is an access.
          await services.audited(officer.id, 'conflicts.view', { entries: String(log.length) });
          return log;
        } catch (error) {
          if (error instanceof SyncRequestError) {
            if (error.code === 'ROLE_REFUSED') throw new ApiError('ROLE_REFUSED', `The central server refused: ${error.message}`);
            throw new ApiError('SERVER_UNAVAILABLE', `The conflict log is kept on the central server, which cannot be asked now: ${error.message}`);
          }
          throw error;
        }
      },
      // Each workflow writes its own handlers beside its service.
      ...referenceHandlers(services),
      ...crossingHandlers(services),
      ...searchHandlers(services),
      ...shiftHandlers(services),
    },
    subscriptions: {
      'app.statusChanges': (_input, context, emit) => {
        emit({ ...services.status.current(), officer: officerShown(context) });
        const stopStatus = services.status.onChange((status) => emit({ ...status, officer: officerShown(context) }));
        const stopSession = auth.onChange(context.session, () => emit({ ...services.status.current(), officer: officerShown(context) }));
        return () => {
          stopStatus();
          stopSession();
        };
      },
      'auth.sessionChanges': (_input, context, emit) => {
        emit(auth.view(context.session));
        return auth.onChange(context.session, () => emit(auth.view(context.session)));
      },
      'devices.statusChanges': (_input, _context, emit) => {
        emit(services.devices.view());
        return services.devices.manager.onStatus(() => emit(services.devices.view()));
      },
      'devices.readings': (_input, _context, emit) => services.devices.manager.onReading(emit),
      'sync.statusChanges': (_input, _context, emit) => {
        emit(services.sync.status());
        return services.sync.onChange(emit);
      },
    },
  };
}
