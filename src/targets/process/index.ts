/** Registers every process-layer runtime (one import per runtime file) and the layer's hooks. */
import { registerLayer } from '../layers.js';
import { PROCESS_LAYER } from './layer.js';
import './native.js';
import './node-wasi.js';
import './wasmedge.js';
import './wasmtime.js';
import './wasmer.js';
import './iwasm.js';

registerLayer('process', PROCESS_LAYER);
