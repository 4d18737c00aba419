/*
 * compute: fixed integer CPU work.
 *   compute [iterations]   (default 1000000)
 * Runs an xorshift64* loop and prints "compute <iterations> <checksum-hex>".
 * 64-bit types are used explicitly so wasm32 and native give the same result.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long long iterations = 1000000;
  if (argc > 1) iterations = strtoll(argv[1], NULL, 10);
  if (iterations < 0) iterations = 0;

  uint64_t x = 0x9E3779B97F4A7C15ull;
  uint64_t acc = 0;
  for (long long i = 0; i < iterations; i++) {
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    acc += x * 0x2545F4914F6CDD1Dull;
    acc = (acc << 7) | (acc >> 57);
  }
  printf("compute %lld %016" PRIx64 "\n", iterations, acc);
  return 0;
}
