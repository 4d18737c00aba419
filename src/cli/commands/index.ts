/** Every CLI subcommand (one import per command file). */
import type { Command } from '../command.js';
import { doctorCommand } from './doctor.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { claimsCommand } from './claims.js';

export const COMMANDS: Command[] = [runCommand, doctorCommand, reportCommand, claimsCommand];
