import { readFileSync } from 'node:fs';
import { RulesError, defaultRules, loadRules, type Rules } from '../domain/rules';

/**
 * The server's legal rules (the retention periods are the ones it uses): the defaults of
 * domain/rules, or those with the overrides of a JSON file, such as
 * `{ "retention": { "accommodationRegisterYears": 5 } }`, named by MIS_RULES_FILE. A file
 * that cannot be read, is not JSON or breaks a rule stops the server with the reason,
 * rather than let it purge by rules nobody chose.
 */
export function serverRules(file: string | undefined = process.env.MIS_RULES_FILE): Rules {
  if (!file) return defaultRules;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`The rules file ${file} (MIS_RULES_FILE) cannot be read: ${(error as Error).message}`, { cause: error });
  }
  let overrides: unknown;
  try {
    overrides = JSON.parse(text);
  } catch (error) {
    throw new Error(`The rules file ${file} (MIS_RULES_FILE) is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  try {
    return loadRules(overrides);
  } catch (error) {
    if (error instanceof RulesError) throw new Error(`The rules file ${file} (MIS_RULES_FILE) was not loaded: ${error.issues.join('; ')}`, { cause: error });
    throw error;
  }
}
