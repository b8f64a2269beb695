/**
 * The line after an announcement in a command's output: what the server's commands show
 * only once (a station credential, a one-time password).
 */
export function shownOnce(output: string, announcement: RegExp): string {
  const lines = output.split('\n');
  const at = lines.findIndex((line) => announcement.test(line));
  const secret = lines[at + 1]?.trim();
  if (at < 0 || !secret) throw new Error(`Nothing shown after ${announcement} in:\n${output}`);
  return secret;
}
