-- wrk script of `npm run bench:server` (scripts/bench-server.ts runs it; do not call by hand unless you pass the same
-- arguments):   wrk -s scripts/bench-server.lua <url> -- <mode> [tokens-file]
--   signals   POST /temper/v1/signals, one conversation after another (tokens from the file, one per line), each with
--             its own increasing seq, as the widget sends them; the bare baseline gets the same requests
--   messages  POST /temper/v1/messages with a fresh client id each (the FAQ bot answers every one)
--   sessions  POST /temper/v1/sessions {}
-- done() prints one line `WRK_JSON {...}` with requests, duration, non-2xx and socket errors, and latency
-- percentiles in microseconds.

local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
  -- Every thread learns the final thread count (setup runs for all threads before any starts).
  for _, t in ipairs(threads) do t:set("nthreads", counter) end
end

local mode, tokens, seqs, nextIndex, sent = nil, {}, {}, 0, 0
local texts = { "Where is my order?", "How long does shipping take?", "我的退款什么时候到账？", "purple elephants", "结账的时候一直报错" }

function init(args)
  mode = args[1]
  if mode == "signals" or mode == "messages" then
    local f = assert(io.open(args[2], "r"), "tokens file")
    local i = 0
    -- Each thread takes its own share of the conversations, so no two threads race on one conversation's seq.
    for line in f:lines() do
      if i % nthreads == tid then table.insert(tokens, line) end
      i = i + 1
    end
    f:close()
    -- Seqs start above the previous run's (argument 3), so a second run over the same conversations is not stale.
    local base = tonumber(args[3] or "0")
    for k = 1, #tokens do seqs[k] = base end
  end
end

function request()
  if mode == "sessions" then
    return wrk.format("POST", "/temper/v1/sessions", { ["Content-Type"] = "application/json" }, "{}")
  end
  nextIndex = nextIndex % #tokens + 1
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[nextIndex] }
  if mode == "signals" then
    local seq = seqs[nextIndex] + 1
    seqs[nextIndex] = seq
    local body = string.format('{"v":1,"seq":%d,"level":%d,"trend":%d}', seq, seq % 4, (seq % 3) - 1)
    return wrk.format("POST", "/temper/v1/signals", headers, body)
  end
  sent = sent + 1
  local body = string.format('{"id":"bench-%d-%d","text":"%s"}', tid, sent, texts[sent % #texts + 1])
  return wrk.format("POST", "/temper/v1/messages", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"non2xx":%d,"socketErrors":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
