/** Registers every embedded-layer runtime: Wasm instantiated inside an already-running host process (one import per runtime file). */
import './node-wasi-inproc.js';
