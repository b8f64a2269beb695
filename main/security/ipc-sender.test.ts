import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './ipc-sender';

/** A window whose main frame shows `url`, as the sender of an IPC event sees it. */
function windowShowing(url: string) {
  const mainFrame = { url };
  return { mainFrame };
}

describe('the sender of an IPC call', () => {
  it("is trusted when it is the main frame of the app's own page", () => {
    const sender = windowShowing('app://mis/index.html');
    expect(isTrustedSender({ senderFrame: sender.mainFrame, sender })).toBe(true);
  });

  it("is not trusted when it is an iframe, even on the app's origin", () => {
    const sender = windowShowing('app://mis/index.html');
    expect(isTrustedSender({ senderFrame: { url: 'app://mis/index.html' }, sender })).toBe(false);
  });

  it.each(['https://attacker.example/', 'app://mis.evil/index.html', 'file:///opt/mis/index.html', 'http://127.0.0.1:8420/'])(
    'is not trusted when the main frame shows %s',
    (url) => {
      const sender = windowShowing(url);
      expect(isTrustedSender({ senderFrame: sender.mainFrame, sender })).toBe(false);
    },
  );

  it('is not trusted when its frame is already gone', () => {
    expect(isTrustedSender({ senderFrame: null, sender: windowShowing('app://mis/index.html') })).toBe(false);
  });
});
