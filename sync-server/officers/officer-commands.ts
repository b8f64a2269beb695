import { parseArgs } from 'node:util';
import type { SyncRepository } from '../store/repository';
import { type OfficerView, addOfficer, listOfficers, officerIdByUsername, resetOfficerPassword, updateOfficer } from './officers';

/** The officer commands of `npm run server --`, for its usage text. */
export const officerCommandsUsage = `  officer-add --username U --name NAME --badge B-123 --role officer|supervisor|admin --stations ST-1[,ST-2]
                      add an officer and print a one-time password (shown once), which
                      the officer replaces at the first login
  officer-reset-password --username U
                      print a new one-time password for the officer (shown once)
  officer-update --username U [--role R] [--stations ST-1,ST-2] [--name NAME] [--badge B]
  officer-deactivate --username U
                      the officer can no longer log in anywhere (kept for the records)
  officer-list        every officer, without passwords`;

const stationList = (value: string | undefined): string[] | undefined => value?.split(',').map((id) => id.trim()).filter((id) => id !== '');

/** The officer the command names, by username. */
async function namedOfficer(repository: SyncRepository, username: string | undefined, command: string): Promise<string> {
  if (!username) throw new Error(`Which officer? npm run server -- ${command} --username U`);
  return officerIdByUsername(repository, username);
}

const username = { username: { type: 'string' } } as const;

function describeOfficer(officer: OfficerView): string {
  return `${officer.username} (${officer.id}): ${officer.role} at ${officer.stationIds.join(', ')}${officer.active ? '' : ', deactivated'}`;
}

function oneTimePasswordText(password: string): string {
  return `One-time password (shown only now; the officer must replace it at the first login, which needs the central server reachable):\n${password}\n`;
}

function table(officers: OfficerView[]): string {
  const rows = [
    ['USERNAME', 'ID', 'NAME', 'BADGE', 'ROLE', 'STATIONS', 'ACTIVE', 'MUST CHANGE PASSWORD'],
    ...officers.map((o) => [o.username, o.id, o.name, o.badgeNumber, o.role, o.stationIds.join(','), o.active ? 'yes' : 'no', o.mustChangePassword ? 'yes' : 'no']),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...row[column]!].length)));
  return rows.map((row) => row.map((cell, column) => cell + ' '.repeat(widths[column]! - [...cell].length)).join('  ').trimEnd()).join('\n');
}

/**
 * Runs an officer-* command against the server's database and writes what it has to say
 * to `print` (stdout). Returns false for a command that is not one of these.
 */
export async function runOfficerCommand(command: string, args: string[], repository: SyncRepository, print: (text: string) => void, now = Date.now()): Promise<boolean> {
  if (command === 'officer-add') {
    const { values } = parseArgs({ args, options: { id: { type: 'string' }, username: { type: 'string' }, name: { type: 'string' }, badge: { type: 'string' }, role: { type: 'string' }, stations: { type: 'string' } } });
    const input = { ...(values.id ? { id: values.id } : {}), username: values.username, name: values.name, badgeNumber: values.badge, role: values.role, stationIds: stationList(values.stations) };
    const { officer, oneTimePassword } = await addOfficer(repository, input, now);
    print(`Officer added: ${describeOfficer(officer)}.\n${oneTimePasswordText(oneTimePassword)}`);
  } else if (command === 'officer-reset-password') {
    const { values } = parseArgs({ args, options: username });
    const { officer, oneTimePassword } = await resetOfficerPassword(repository, await namedOfficer(repository, values.username, command), now);
    print(`Password reset: ${describeOfficer(officer)}.\n${oneTimePasswordText(oneTimePassword)}`);
  } else if (command === 'officer-update') {
    const { values } = parseArgs({ args, options: { ...username, role: { type: 'string' }, stations: { type: 'string' }, name: { type: 'string' }, badge: { type: 'string' } } });
    const changes = { role: values.role, stationIds: stationList(values.stations), name: values.name, badgeNumber: values.badge };
    const officer = await updateOfficer(repository, await namedOfficer(repository, values.username, command), changes, now);
    print(`Officer updated: ${describeOfficer(officer)}.\n`);
  } else if (command === 'officer-deactivate') {
    const { values } = parseArgs({ args, options: username });
    const officer = await updateOfficer(repository, await namedOfficer(repository, values.username, command), { active: false }, now);
    print(`Officer deactivated: ${describeOfficer(officer)}.\n`);
  } else if (command === 'officer-list') {
    const officers = await listOfficers(repository);
    print(officers.length === 0 ? 'No officers yet: add the first with officer-add.\n' : `${table(officers)}\n`);
  } else {
    return false;
  }
  return true;
}
