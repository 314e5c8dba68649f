-- wrk script: POST /api/v1/orders with a fresh, valid order each time (unique name and
-- registrant, so every request takes the full path: validate, register, batch with e-mail).
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id
  run = args[1] or "r"
end

request = function()
  counter = counter + 1
  local label = string.format("bench-%s-%d-%d", run, thread_id, counter)
  local body = '{"domain":"' .. label .. '.coop","period":1,"contacts":{"owner":{"first_name":"Ada","last_name":"Lovelace",' ..
    '"organization":"Bench Co-operative ' .. label .. '","street":["1 Loom Street"],"city":"Manchester","state":"",' ..
    '"postcode":"M1 1AA","country":"GB","phone":"+44.1612345678","fax":"","email":"' .. label .. '@example.coop"},' ..
    '"admin":null,"tech":null,"billing":null},"nameservers":[{"host":"ns1.example.net","addresses":[]},' ..
    '{"host":"ns2.example.net","addresses":[]}],"eligibility":{"criterion":"cooperative_under_local_law","certified":true}}'
  return wrk.format("POST", "/api/v1/orders", {["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
