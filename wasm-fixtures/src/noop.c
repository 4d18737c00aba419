/* noop: returns 0 immediately. Baseline for process/instance start-up cost. */
int main(void) { return 0; }
