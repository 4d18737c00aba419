/*
 * serve: stays alive with minimal memory until killed. Prints nothing.
 *   serve [seconds]
 * With an argument it exits 0 after that many seconds (useful in tests).
 * Native: blocks in pause(). WASI has no signals/pause, so the wasm build loops
 * on sleep(3600) (wasi-libc implements it with poll_oneoff).
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc > 1) {
    long secs = strtol(argv[1], NULL, 10);
    if (secs < 0) secs = 0;
    struct timespec ts = {(time_t)secs, 0}, rem;
    while (nanosleep(&ts, &rem) != 0 && errno == EINTR) ts = rem;
    return 0;
  }
  for (;;) {
#if defined(__wasi__)
    sleep(3600);
#else
    pause();
#endif
  }
}
