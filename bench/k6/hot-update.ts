/**
 * k6 script: constant-arrival-rate (open loop) GET load against the http fixture, for users who have k6.
 * The same load as edgebench's built-in generator (src/load/http-load.ts): k6 starts iterations on schedule
 * whatever earlier ones did, so its http_req_duration is not subject to coordinated omission as long as
 * `dropped_iterations` stays 0 (raise PRE_VUS if it does not).
 *   k6 run -e TARGET=http://10.244.0.12:8080/ -e RATE=100 -e DURATION=60s bench/k6/hot-update.ts   (k6 ≥ 0.52 runs .ts)
 * The threshold makes k6 exit non-zero on any failed request: the zero-downtime verdict.
 */
import http from 'k6/http';
import { check } from 'k6';
import type { Options } from 'k6/options';

const TARGET = __ENV['TARGET'] ?? 'http://127.0.0.1:8080/';
const RATE = Number(__ENV['RATE'] ?? '100');

export const options: Options = {
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV['DURATION'] ?? '60s',
      preAllocatedVUs: Number(__ENV['PRE_VUS'] ?? '20'),
      maxVUs: Number(__ENV['MAX_VUS'] ?? '200'),
    },
  },
  thresholds: {
    http_req_failed: ['rate==0'],
    checks: ['rate==1'],
    dropped_iterations: ['count==0'],
  },
  summaryTrendStats: ['p(50)', 'p(90)', 'p(99)', 'p(99.9)', 'max'],
};

/** One request per iteration, on the VU's keep-alive connection. */
export default function (): void {
  const res = http.get(TARGET, { timeout: '2s' });
  check(res, { 'status is 200': (r) => r.status === 200 });
}
