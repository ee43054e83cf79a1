-- wrk script for `make bench`: sends the requests listed in a file, round-robin.
--
--   wrk -t2 -c50 -d10s -s requests.lua http://127.0.0.1:PORT -- FILE THREADS
--
-- FILE has one request a line, tab-separated: METHOD, PATH, BODY, then any number of
-- "Name: value" headers. Thread k of THREADS takes lines k+1, k+1+THREADS, ... and sends
-- them in order, going round again at the end (a file with fewer lines than threads is
-- sent whole by every thread). So a file of one GET repeats it, and a file of quiz
-- answers (one line per learner and question) answers each question once, as long as
-- the file is long enough: `wrapped` says if a thread went round.
-- done() prints one line, "BENCH_RESULT {json}", that course/bench/wrk.py reads.
--
-- There is no response() callback: with one, wrk copies every body into Lua, and the
-- large anonymous outline measured 0.39-0.50 of the floor instead of 0.63-0.65. So the
-- errors are wrk's own counts (statuses above 399, socket errors), and prepare.py checks
-- beforehand that each scenario's request answers 200, not a redirect.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function parse(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  local headers = {}
  for i = 4, #fields do
    local name, value = fields[i]:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  local body = fields[3] ~= "" and fields[3] or nil
  return wrk.format(fields[1], fields[2], headers, body)
end

function init(args)
  local file, count = args[1], tonumber(args[2])
  local lines = {}
  for line in io.lines(file) do
    table.insert(lines, line)
  end
  queue, next_index, wrapped = {}, 0, 0
  for index, line in ipairs(lines) do
    if #lines < count or (index - 1) % count == id then
      table.insert(queue, parse(line))
    end
  end
end

function request()
  next_index = next_index + 1
  if next_index > #queue then
    next_index, wrapped = 1, wrapped + 1
  end
  return queue[next_index]
end

function done(summary, latency, requests)
  local went_round = 0
  for _, thread in ipairs(threads) do
    went_round = math.max(went_round, thread:get("wrapped"))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
      .. '"status_errors": %d, "socket_errors": %d, "wrapped": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout, went_round
  ))
end
