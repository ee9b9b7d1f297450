-- S5r/S5w: each request carries one of the session cookies listed in the file $COOKIES (one "NAME=VALUE" a line),
-- taken in turn, so the load is spread over many users' sessions as a real site's would be.
local cookies = {}
local next_one = 0

function init(args)
  for line in io.lines(os.getenv("COOKIES")) do
    cookies[#cookies + 1] = line
  end
end

function request()
  next_one = next_one % #cookies + 1
  return wrk.format("GET", nil, { ["Cookie"] = cookies[next_one] })
end
