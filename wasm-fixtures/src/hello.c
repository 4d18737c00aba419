/* hello: writes exactly "hello from edgebench\n" to stdout and returns 0. */
#include <unistd.h>

int main(void) {
  static const char msg[] = "hello from edgebench\n";
  const char *p = msg;
  size_t left = sizeof msg - 1;
  while (left > 0) {
    ssize_t n = write(1, p, left);
    if (n <= 0) return 1;
    p += n;
    left -= (size_t)n;
  }
  return 0;
}
