/** Registers every oci-layer runtime (one import per driver file). */
import './direct.js';
import './containerd.js';
import './docker.js';
