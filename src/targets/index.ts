/** Registers the targets of every layer. */
import './process/index.js';
import './oci/index.js';
