/** Registers every suite (one import per suite file). */
import './cold-start.js';
import './density/index.js';
import './memory.js';
import './pod-density/index.js';
import './hot-update/index.js';
import './scale-out/index.js';
import './autoscale/index.js';
import './offline/index.js';
