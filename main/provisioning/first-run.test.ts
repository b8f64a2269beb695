import { describe, expect, it } from 'vitest';
import { provisioningBundleArgument } from './first-run';

describe('the bundle the installed app is told to import on start', () => {
  it.each([
    [['/opt/mis/mis-station', '--provision=/media/usb/BIH-P-01.json'], {}, '/media/usb/BIH-P-01.json'],
    [['MIS Station.exe', '--provision', 'D:\\BIH-P-01.json'], {}, 'D:\\BIH-P-01.json'],
    [['MIS Station.exe', '--no-sandbox-is-not-ours', '--provision=a.json'], { MIS_PROVISIONING_BUNDLE: 'b.json' }, 'a.json'],
    [['MIS Station.exe'], { MIS_PROVISIONING_BUNDLE: 'b.json' }, 'b.json'],
    [['MIS Station.exe'], {}, null],
    [['MIS Station.exe', '--provision='], {}, null],
    [['MIS Station.exe', '--provision'], {}, null],
    [['MIS Station.exe'], { MIS_PROVISIONING_BUNDLE: '' }, null],
  ])('%j with %j: %s', (argv, env, expected) => {
    expect(provisioningBundleArgument(argv, env)).toBe(expected);
  });
});
