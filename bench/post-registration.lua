-- SPDX-License-Identifier: EUPL-1.2
-- wrk script: POST /api/v1/registrations with a new id each time (thread id and a
-- counter), as the advisor of the bench token, one minute each, the dates going round the
-- BEREIK_DAYS days from BEREIK_EPOCH (Unix seconds of the first day) so that no day passes
-- the 1440 minutes an advisor can register. Environment: BEREIK_TOKEN, BEREIK_ADVISOR,
-- BEREIK_INSTITUTION, BEREIK_EPOCH, BEREIK_DAYS.
local counter = 0
local started = 0

-- runs in the main state: gives each thread its number (a global of that thread)
function setup(thread)
  started = started + 1
  thread:set("tid", started)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BEREIK_TOKEN")
  prefix = "load-" .. os.getenv("BEREIK_RUN") .. "-" .. tid .. "-"
  epoch = tonumber(os.getenv("BEREIK_EPOCH"))
  days = tonumber(os.getenv("BEREIK_DAYS"))
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"id":"%s%d","date":"%s","minutes":1,"kind":"client","line":"P1","advisors":["%s"],' ..
    '"institutions":["%s"],"modality":"fysiek","counts":{}}',
    prefix, counter, os.date("!%Y-%m-%d", epoch + ((counter + 37 * tid) % days) * 86400),
    os.getenv("BEREIK_ADVISOR"), os.getenv("BEREIK_INSTITUTION"))
  return wrk.format(nil, "/api/v1/registrations", nil, body)
end

function response(status, headers, body)
  if status ~= 201 then
    errors = (errors or 0) + 1
  end
end
