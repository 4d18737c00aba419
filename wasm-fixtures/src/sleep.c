/*
 * sleep: sleeps for a known duration, to check measurement accuracy.
 *   sleep [milliseconds]   (default 20)
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  long ms = 20;
  if (argc > 1) ms = strtol(argv[1], NULL, 10);
  if (ms < 0) ms = 0;
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L}, rem;
  while (nanosleep(&ts, &rem) != 0 && errno == EINTR) ts = rem;
  return 0;
}
