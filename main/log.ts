import { pino, type Logger } from 'pino';
import { RotatingLogFile } from './log-file';

/**
 * The technical log of the station client. It carries what IT staff need to diagnose a
 * problem and never personal data: callers log ids, codes and counts, not names or
 * document numbers, and the redaction below is a second line of defence.
 */
export function createLogger(name: string, level = process.env.MIS_LOG_LEVEL ?? 'info', options: { file?: string } = {}): Logger {
  const settings = {
    name,
    level,
    redact: { paths: ['*.password', '*.token', '*.surname', '*.givenNames', '*.documentNumber', '*.birthDate'], censor: '[redacted]' },
  };
  if (!options.file) return pino(settings);
  // The station's own log file (a rotating one, see log-file.ts), which the diagnostics bundle takes its tail from.
  return pino(settings, pino.multistream([{ level: 'trace', stream: pino.destination(1) }, { level: 'trace', stream: new RotatingLogFile(options.file) }]));
}

export const silentLogger: Logger = pino({ level: 'silent' });
