// Benchmark read load for `npm run bench:ref`: constant VUs hammering one GET URL (__ENV.URL) for
// __ENV.DURATION, every response checked for 200. Used for the cached read, the uncached read and
// the bare-fastify ceiling alike, so their figures compare.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  vus: Number(__ENV.VUS || 32),
  duration: __ENV.DURATION || '10s',
  discardResponseBodies: true,
  summaryTrendStats: ['avg', 'med', 'p(99)'],
};

export default function () {
  const response = http.get(__ENV.URL);
  check(response, { 'status 200': (r) => r.status === 200 });
}
