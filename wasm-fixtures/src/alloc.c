/*
 * alloc: allocate and touch memory.
 *   alloc [MiB]   (default 16)
 * mallocs MiB mebibytes, writes one byte in every 4096-byte page, prints
 * "alloc <N> MiB" and returns 0 (1 if the allocation fails).
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long mib = 16;
  if (argc > 1) mib = strtol(argv[1], NULL, 10);
  if (mib < 0) mib = 0;

  size_t bytes = (size_t)mib * 1024u * 1024u;
  volatile unsigned char *buf = malloc(bytes ? bytes : 1);
  if (buf == NULL) return 1;

  unsigned sum = 0;
  for (size_t off = 0; off < bytes; off += 4096) {
    buf[off] = (unsigned char)(off >> 12);
    sum += buf[off];
  }
  volatile unsigned sink = sum;
  (void)sink;

  printf("alloc %ld MiB\n", mib);
  free((void *)buf);
  return 0;
}
