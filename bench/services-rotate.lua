-- SPDX-License-Identifier: EUPL-1.2
-- wrk script for bench/services.sh: GETs of the URL's path, each with the Host header and
-- the credential of the next service in turn, so that the load spreads evenly over the
-- services of one installation (the server finds the service from the Host header).
-- Environment:
--   BEREIK_AUTH_FILE  one line per service: HOST, a tab, one header line, e.g.
--                     "s01.bench<TAB>Cookie: bereik_session=..." or
--                     "s01.bench<TAB>Authorization: Bearer bereik_..."
--   BEREIK_ACCEPT_ENCODING  sent as Accept-Encoding (e.g. "gzip", as browsers ask); unset
--                     or empty: no such header
-- Every answer is counted by status: wrk itself counts only 4xx and 5xx as errors, and a
-- session that no longer works would answer 303 (to the login page). done() prints one
-- line "statuses: 200=N other=N (CODE=N ...)" for bench/services.sh.
local threads = {}
local entries = {}
local n = 0
local encoding = ""
ok = 0
other = 0
codes = ""
local seen = {}

-- main state, once per thread before they start: each thread begins at another service
function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("BEREIK_AUTH_FILE")
  if not path then
    error("BEREIK_AUTH_FILE is not set")
  end
  for line in io.lines(path) do
    local host, name, value = string.match(line, "^([^\t]+)\t([^:]+):%s*(.*)$")
    if host then
      entries[#entries + 1] = { host = host, name = name, value = value }
    end
  end
  if #entries == 0 then
    error(path .. ": no HOST<TAB>HEADER lines")
  end
  n = offset or 0
  encoding = os.getenv("BEREIK_ACCEPT_ENCODING") or ""
end

function request()
  n = n + 1
  local e = entries[(n % #entries) + 1]
  local headers = { ["Host"] = e.host, [e.name] = e.value }
  if encoding ~= "" then
    headers["Accept-Encoding"] = encoding
  end
  return wrk.format("GET", wrk.path, headers)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    other = other + 1
    local c = tostring(status)
    seen[c] = (seen[c] or 0) + 1
    -- rare by design: keep the per-code counts as a string wrk can copy out of the thread
    local parts = {}
    for k, v in pairs(seen) do
      parts[#parts + 1] = k .. "=" .. v
    end
    table.sort(parts)
    codes = table.concat(parts, " ")
  end
end

function done(summary, latency, requests)
  local total_ok, total_other, all = 0, 0, {}
  for _, t in ipairs(threads) do
    total_ok = total_ok + (t:get("ok") or 0)
    total_other = total_other + (t:get("other") or 0)
    local c = t:get("codes")
    if c and c ~= "" then
      all[#all + 1] = c
    end
  end
  io.write(string.format("statuses: 200=%d other=%d (%s)\n", total_ok, total_other, table.concat(all, "; ")))
end
