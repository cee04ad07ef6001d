-- wrk's summary as one JSON line: throughput, median and p95 latency (microseconds), errors.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "rps": %.2f, "p50_us": %d, "p95_us": %d, "p99_us": %d, "errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(95), latency:percentile(99), errors,
    summary.errors.status))
end
