import { diagnosticsUsage, runDiagnosticsCommand } from './command';

runDiagnosticsCommand(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const usageError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(usageError ? `${(error as Error).message}\n\n${diagnosticsUsage}\n` : `The diagnostics bundle could not be written: ${(error as Error).message}\n`);
    process.exitCode = usageError ? 2 : 1;
  },
);
