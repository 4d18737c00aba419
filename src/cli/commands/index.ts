/** Every CLI subcommand (one import per command file). */
import type { Command } from '../command.js';
import { cleanupCommand } from './cleanup.js';
import { doctorCommand } from './doctor.js';
import { imageCommand } from './image.js';
import { provisionCommand } from './provision.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { claimsCommand } from './claims.js';
import { compareCommand } from './compare.js';
import { historyCommand } from './history.js';
import { profilesCommand } from './profiles.js';
import { publishCommand } from './publish.js';
import { teardownCommand } from './teardown.js';

export const COMMANDS: Command[] = [runCommand, doctorCommand, reportCommand, imageCommand, cleanupCommand, compareCommand, provisionCommand, teardownCommand, claimsCommand, historyCommand, profilesCommand, publishCommand];
