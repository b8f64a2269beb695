import { z } from 'zod';

/**
 * The shape of `devices.json`, apart from the file handling (device-settings.ts), so that
 * the API contract (and through it the renderer, which has no Node) can use it.
 */

const serialAddress = z.strictObject({
  transport: z.literal('serial'),
  path: z.string().min(1).max(256),
  baudRate: z.number().int().min(1_200).max(921_600),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
});

const hidAddress = z.strictObject({
  transport: z.literal('hid'),
  vendorId: z.number().int().min(0).max(0xffff),
  productId: z.number().int().min(0).max(0xffff),
  path: z.string().min(1).max(256).optional(),
});

export const deviceSettingSchema = z.strictObject({
  /** A short name of the station's own choosing: 'counter-1-reader'. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and -, at most 40'),
  /** What the officer sees: 'Passport reader, counter 1'. */
  label: z.string().min(1).max(80),
  /** A driver's protocol name (mrz-stx-etx, mrz-soh-bcc, mrz-json, mrz-hid-pos, zfm, gt521, training, or a vendor's). */
  protocol: z.string().min(1).max(40),
  address: z.discriminatedUnion('transport', [
    serialAddress,
    hidAddress,
    z.strictObject({ transport: z.literal('keyboard-wedge') }),
    z.strictObject({ transport: z.literal('simulator'), scenario: z.string().max(40).optional() }),
    z.strictObject({ transport: z.literal('vendor-sdk'), sdk: z.string().min(1).max(80), options: z.record(z.string(), z.string()) }),
  ]),
  enabled: z.boolean().default(true),
});

export const deviceSettingsSchema = z.strictObject({
  devices: z
    .array(deviceSettingSchema)
    .max(32)
    .refine((devices) => new Set(devices.map((device) => device.id)).size === devices.length, 'two devices share an id'),
});

export type DeviceSetting = z.infer<typeof deviceSettingSchema>;
export type DeviceSettings = z.infer<typeof deviceSettingsSchema>;

