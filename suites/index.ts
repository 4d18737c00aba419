/** Registers every suite (one import per suite file). */
import './cold-start.js';
import './density.js';
import './memory.js';
