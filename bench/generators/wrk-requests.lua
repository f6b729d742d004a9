-- wrk script: replays a prebuilt request file (bench/workload/request-list.ts writes it) so that wrk
-- does no per-request work beyond returning a prebuilt string. File: BENCH_WRK_FILE, one request per
-- line, tab-separated: method, path, token, idempotency key (may be empty), body (may be empty).
-- done() prints one line `WRK_JSON {...}` that bench/generators/wrk.ts parses (latencies in µs).

local list = {}
local count = 0
local index = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_WRK_FILE")) do
    local method, path, token, key, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if method then
      local headers = { ["Authorization"] = "Bearer " .. token }
      if key ~= "" then headers["Idempotency-Key"] = key end
      if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
      count = count + 1
      list[count] = wrk.format(method, path, headers, body)
    end
  end
end

function request()
  index = index % count + 1
  return list[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,'
      .. '"p50":%d,"p90":%d,"p99":%d,"max":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
