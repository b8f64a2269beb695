/**
 * Links the app hands to the operating system (shell.openExternal) open in the officer's
 * browser, and only https:// pages qualify: any other scheme could start whatever program
 * is registered for it (file:, smb:, ms-msdt:...), and user:password@ in a URL can hide
 * its real host. The URL is parsed, not compared as a string, and what opens is the
 * parsed form that was checked.
 */
export function browserLinkTarget(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}
