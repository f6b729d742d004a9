-- wrk script: replays a prebuilt request file (bench/workload/request-list.ts writes it) so that wrk
-- does no per-request work beyond returning a prebuilt string. File: BENCH_WRK_FILE, one request per
-- line, tab-separated: method, path, token, idempotency key (may be empty), body (may be empty).
-- done() prints one line `WRK_JSON {...}` that bench/generators/wrk.ts parses (latencies in µs).
-- BENCH_WRK_RATE (requests/s, optional) paces the run: delay() holds each next request until its slot on
-- one global schedule, so requests leave evenly spaced (wrk 4 has no rate option; wrk2 is not in Debian).
-- Latency is then measured from each request's actual send, not from its slot.
-- BENCH_WRK_OFFSET (optional) is the 0-based index of the first request sent; the list wraps at its end.

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
  index = (tonumber(os.getenv("BENCH_WRK_OFFSET") or "") or 0) % count
end

local rate = tonumber(os.getenv("BENCH_WRK_RATE") or "")
local ffi, nextSlot, interval
if rate and rate > 0 then
  ffi = require("ffi")
  ffi.cdef([[
    typedef struct { long tv_sec; long tv_usec; } wrk_timeval;
    int gettimeofday(wrk_timeval *tv, void *tz);
  ]])
  interval = 1000 / rate
end

local function nowMs()
  local tv = ffi.new("wrk_timeval")
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

-- Called by wrk before a connection sends its next request: milliseconds to wait.
if interval then
  function delay()
    local now = nowMs()
    -- A slot missed by more than one interval is not made up later: no bursts after a stall.
    if nextSlot == nil or nextSlot < now - interval then nextSlot = now end
    nextSlot = nextSlot + interval
    return math.max(0, math.floor(nextSlot - now))
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
