-- wrk script of deploy/bench-peer.sh: prints the median latency and the
-- count of requests and errors (non-2xx included) of one run.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("p50_ms %.3f\n", latency:percentile(50) / 1000))
  io.write(string.format("requests %d errors %d\n", summary.requests,
    e.connect + e.read + e.write + e.timeout + e.status))
end
