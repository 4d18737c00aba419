/** Registers the targets of every layer. */
import './process/index.js';
import './cri/index.js';
