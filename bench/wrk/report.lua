-- warhorse bench: wrk reporter. Prints one machine-readable line in done():
--   WRK_RESULT {"requests":...,"duration_s":...,"rps":...,"p50_ms":...,"p99_ms":...,"max_ms":...,
--               "errors":{"connect":...,"read":...,"write":...,"timeout":...,"status":...},
--               "statuses":{"503":...,...}}   (statuses only with WRK_COUNT_STATUS=1)
-- wrk counts non-2xx/3xx answers in summary.errors.status, apart from socket errors and timeouts. To tell 503s
-- from other statuses (S2 on the sync kind), set WRK_COUNT_STATUS=1: a response() callback then counts each
-- status per thread. It costs wrk some CPU, so it stays off unless asked for.
-- Usage: WRK_COUNT_STATUS=1 wrk -t2 -c64 -d10s --latency -s report.lua http://127.0.0.1:PORT/path

local threads = {}
local count_status = os.getenv("WRK_COUNT_STATUS") == "1"

function setup(thread)
   table.insert(threads, thread)
end

if count_status then
   function init(args)
      statuses = {}
   end

   function response(status, headers, body)
      statuses[status] = (statuses[status] or 0) + 1
   end
end

local function ms(us)
   return string.format("%.3f", us / 1000.0)
end

function done(summary, latency, requests)
   local merged = {}
   if count_status then
      for _, thread in ipairs(threads) do
         local counts = thread:get("statuses")
         if counts then
            for status, n in pairs(counts) do
               merged[status] = (merged[status] or 0) + n
            end
         end
      end
   end
   local parts = {}
   for status, n in pairs(merged) do
      table.insert(parts, string.format('"%d":%d', status, n))
   end
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      'WRK_RESULT {"requests":%d,"duration_s":%.3f,"rps":%.2f,"p50_ms":%s,"p90_ms":%s,"p99_ms":%s,"max_ms":%s,' ..
      '"mean_ms":%s,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},' ..
      '"statuses":{%s}}\n',
      summary.requests, seconds, summary.requests / seconds,
      ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max),
      ms(latency.mean), summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
      table.concat(parts, ",")))
end
