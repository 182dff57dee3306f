-- Submits trademark filings, each with its own Idempotency-Key, as a kiosk would.
local token = os.getenv("IPFAST_BENCH_TOKEN")
local body = [[{"kind":"trademark","trademark":{"markType":"word","markText":"CATL","classes":[{"class":9,"terms":["Batteries, electric","Battery chargers"]}]},"applicants":[{"name":"Contemporary Amperex Technology Co., Limited","kind":"organization","nationality":"CN","domicile":"CN","address":"Ningde, Fujian"}],"contact":{"name":"Li Wei","email":"li.wei@example.com"},"language":"zh"}]]
local threads = 0
local n = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  math.randomseed(os.time() + (tid or 0))
  prefix = string.format("%d-%d-", tid or 0, math.random(1, 1000000000))
end

function request()
  n = n + 1
  return wrk.format("POST", "/v1/filings", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. n,
  }, body)
end
