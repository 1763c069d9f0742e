-- wrk script for deploy/loadtest.sh: rotates over the main routes and
-- prints the latency percentiles and the error counts.
local paths = {}
local i = 0

init = function(args)
  for _, p in ipairs(args) do paths[#paths + 1] = p end
  if #paths == 0 then paths = { "/healthz" } end
end

request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept-Encoding"] = "gzip" })
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("requests %d in %.1f s: %.0f req/s\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6)))
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, status (non-2xx/3xx) %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("latency p%g: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("latency max: %.2f ms\n", latency.max / 1000))
end
