// The relay lives with the devices it stands in for, so that tests, the device benchmark and
// `npm run devices -- simulate` share one implementation.
export { openPseudoTerminal } from '../../devices/serial/pseudo-terminal';
export type { PseudoTerminal } from '../../devices/serial/pseudo-terminal';
