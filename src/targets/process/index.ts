/** Registers every process-layer runtime (one import per runtime file). */
import './native.js';
import './node-wasi.js';
import './wasmedge.js';
import './wasmtime.js';
import './wasmer.js';
import './iwasm.js';
