import { pino, type Logger } from 'pino';

/**
 * The technical log of the station client. It carries what IT staff need to diagnose a
 * problem and never personal data: callers log ids, codes and counts, not names or
 * document numbers, and the redaction below is a second line of defence.
 */
export function createLogger(name: string, level = process.env.MIS_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['*.password', '*.token', '*.surname', '*.givenNames', '*.documentNumber', '*.birthDate'], censor: '[redacted]' },
  });
}

export const silentLogger: Logger = pino({ level: 'silent' });
