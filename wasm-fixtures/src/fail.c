/*
 * fail: exits with a chosen status, to test failed-sample accounting.
 *   fail [code]   (default 1)
 */
#include <stdlib.h>

int main(int argc, char **argv) {
  int code = 1;
  if (argc > 1) code = atoi(argv[1]);
  return code;
}
