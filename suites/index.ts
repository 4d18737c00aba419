/** Registers every suite (one import per suite file). */
import './cold-start/index.js';
import './density/index.js';
import './memory/index.js';
import './pod-density/index.js';
import './hot-update/index.js';
import './scale-out/index.js';
import './autoscale/index.js';
import './offline/index.js';
