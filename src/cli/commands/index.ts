/** Every CLI subcommand (one import per command file). */
import type { Command } from '../command.js';
import { doctorCommand } from './doctor.js';
import { provisionCommand } from './provision.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { teardownCommand } from './teardown.js';

export const COMMANDS: Command[] = [runCommand, doctorCommand, reportCommand, provisionCommand, teardownCommand];
