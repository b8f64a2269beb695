/**
 * The bundle the installed app is told to import on start: `--provision=FILE` (or
 * `--provision FILE`) on its command line, as IT staff run it once after a silent install,
 * or MIS_PROVISIONING_BUNDLE in its environment. Null when neither is given.
 */
export function provisioningBundleArgument(argv: readonly string[], env: NodeJS.ProcessEnv): string | null {
  for (const [index, argument] of argv.entries()) {
    if (argument.startsWith('--provision=')) return argument.slice('--provision='.length) || null;
    if (argument === '--provision') return argv[index + 1] ?? null;
  }
  return env.MIS_PROVISIONING_BUNDLE || null;
}
