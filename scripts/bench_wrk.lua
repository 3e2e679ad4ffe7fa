-- The wrk script of scripts/bench.py: each request takes the next path of a file (one path a
-- line), so that a run can rotate over many URLs, and the run ends with one line of JSON that the
-- harness reads. It counts every answer outside 2xx: wrk's own count leaves out redirections,
-- and a redirection is not the page we meant to measure.
--
--   wrk -t2 -c16 -d10s --latency -s scripts/bench_wrk.lua http://127.0.0.1:8765 -- paths.txt

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  -- Threads start at different places in the list, so that they do not ask for the same
  -- page at the same moment.
  next_index = ((thread_number - 1) * 7919) % #paths
  non_2xx = 0
  statuses = {}
end

function request()
  next_index = next_index % #paths + 1
  return wrk.format(nil, paths[next_index])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local non_2xx_total = 0
  local status_totals = {}
  for _, thread in ipairs(threads) do
    non_2xx_total = non_2xx_total + thread:get("non_2xx")
    for status, count in pairs(thread:get("statuses")) do
      status_totals[status] = (status_totals[status] or 0) + count
    end
  end
  local status_counts = {}
  for status, count in pairs(status_totals) do
    status_counts[#status_counts + 1] = string.format('"%d": %d', status, count)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx": %d, '
      .. '"non_2xx_statuses": {%s}, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, '
      .. '"latency_p50_us": %d, "latency_p90_us": %d, "latency_p99_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, non_2xx_total,
    table.concat(status_counts, ", "),
    errors.connect, errors.read, errors.write, errors.timeout,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(90)),
    math.floor(latency:percentile(99))
  ))
end
