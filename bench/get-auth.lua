-- SPDX-License-Identifier: EUPL-1.2
-- wrk script for bench/load-mixed.sh: GETs of the URL's path with one authentication
-- header, spread over one or more servers. Thread i connects to the ((i - 1) mod n) + 1-th
-- address of BEREIK_TARGETS, so with -t2 and two servers each gets half the connections;
-- the latencies of all threads end up in wrk's one histogram. The Host header stays that
-- of the URL (the server does not look at it for a GET).
-- Environment:
--   BEREIK_TARGETS  comma-separated HOST:PORT list (default: the URL's own host and port)
--   BEREIK_HEADER   one header line, e.g. "Cookie: bereik_session=..." or
--                   "Authorization: Bearer bereik_..."
--   BEREIK_ACCEPT_ENCODING  the Accept-Encoding header, as a browser sends it (e.g.
--                   "gzip"); none when unset or empty
local addrs = nil
local started = 0

local function lookup_all()
  local list = {}
  local targets = os.getenv("BEREIK_TARGETS") or ""
  for target in string.gmatch(targets, "[^,]+") do
    local host, port = string.match(target, "^(.+):(%d+)$")
    if not host then
      error("BEREIK_TARGETS: not HOST:PORT: " .. target)
    end
    local found = wrk.lookup(host, port)
    if #found == 0 then
      error("BEREIK_TARGETS: cannot resolve " .. target)
    end
    list[#list + 1] = found[1]
  end
  if #list == 0 then
    list[1] = wrk.lookup(wrk.host, wrk.port or "http")[1]
  end
  return list
end

-- runs in the main state, once per thread, before the threads start
function setup(thread)
  if not addrs then
    addrs = lookup_all()
  end
  thread.addr = addrs[(started % #addrs) + 1]
  started = started + 1
end

function init(args)
  local header = os.getenv("BEREIK_HEADER")
  if header then
    local name, value = string.match(header, "^([^:]+):%s*(.*)$")
    if name then
      wrk.headers[name] = value
    end
  end
  local encoding = os.getenv("BEREIK_ACCEPT_ENCODING")
  if encoding and encoding ~= "" then
    wrk.headers["Accept-Encoding"] = encoding
  end
end
