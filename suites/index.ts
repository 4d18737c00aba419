/** Registers every suite (one import per suite file). */
import './cold-start.js';
import './density.js';
import './memory.js';
import './pod-density.js';
import './hot-update.js';
import './scale-out.js';
import './autoscale.js';
import './offline.js';
