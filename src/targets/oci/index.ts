/** Registers every oci-layer runtime (one import per driver file) and the layer's hooks. */
import { registerLayer } from '../layers.js';
import { OCI_CLEANUP } from './layer.js';
import './direct.js';
import './containerd.js';
import './docker.js';

registerLayer('oci', { cleanup: OCI_CLEANUP });
