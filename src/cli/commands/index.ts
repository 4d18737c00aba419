/** Every CLI subcommand (one import per command file). */
import type { Command } from '../command.js';
import { doctorCommand } from './doctor.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { claimsCommand } from './claims.js';
import { compareCommand } from './compare.js';
import { historyCommand } from './history.js';
import { profilesCommand } from './profiles.js';
import { publishCommand } from './publish.js';

export const COMMANDS: Command[] = [runCommand, doctorCommand, reportCommand, claimsCommand, compareCommand, historyCommand, profilesCommand, publishCommand];
