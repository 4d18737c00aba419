/** Registers the targets of every layer. */
import './embedded/index.js';
import './process/index.js';
import './oci/index.js';
import './cri/index.js';
import './kube/index.js';
