/*
 * trap: executes an unreachable instruction (a Wasm trap; SIGILL natively), to test that a runtime's
 * crash counts as a failed sample, not a start.
 *   trap
 */
int main(void) {
  __builtin_trap();
}
