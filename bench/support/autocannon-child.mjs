// Runs autocannon in its own process, so the load generator never shares an event loop (or a core) with the server
// it measures. (Not a worker thread: autocannon treats any worker thread as one of its own workers.)
import autocannon from 'autocannon';

const { url, connections, duration, paths, headers } = JSON.parse(process.argv[2]);
const result = await autocannon({
  url,
  connections,
  duration,
  // Each connection cycles through the paths in order (first page, second page, ...).
  requests: paths.map((path) => ({ method: 'GET', path, headers })),
});
process.send({
  rps: result.requests.average,
  total: result.requests.total,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
});
