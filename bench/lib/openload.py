"""An open-loop HTTP load for the goodput scenario: new requests at a fixed rate, whatever the answers.

wrk is a closed loop: each of its connections sends the next request only when the last was answered, so a server
that slows down is offered less load, and "twice the capacity" cannot be asked of it. Users arrive at their own rate
instead. This client starts request i at start + i / rate, each on a new connection (as a new user would), and
gives up on it after the timeout, as wrk's clients do. It counts:

- ok:       2xx answered within the timeout (the goodput);
- non_2xx:  another status within the timeout (a 503 answered at once is the server shedding, as it should);
- timeout:  no complete answer within the timeout (the server ran it late, or never);
- error:    refused, reset or closed without an answer;
- skipped:  not sent because MAX_IN_FLIGHT requests were already open (the client's own limit, so that a server
            that answers nothing cannot exhaust the client's file descriptors; reported, never hidden).

Standard library only (asyncio); runs in the harness's process on the same cores as the server, like wrk.
"""
import asyncio
import time

MAX_IN_FLIGHT = 4000


def run(host, port, path, rate, duration_s, timeout_s):
    """A dict of counts, the offered and achieved rates, over duration_s seconds at rate requests per second."""
    return asyncio.run(_load(host, port, path, rate, duration_s, timeout_s))


async def _load(host, port, path, rate, duration_s, timeout_s):
    counts = dict.fromkeys(("ok", "non_2xx", "timeout", "error", "skipped"), 0)
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode()
    total = max(1, int(rate * duration_s))
    in_flight = set()
    start = time.monotonic()
    for i in range(total):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(in_flight) >= MAX_IN_FLIGHT:
            counts["skipped"] += 1
            continue
        task = asyncio.ensure_future(_one(host, port, request, timeout_s, counts))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    sent_s = time.monotonic() - start
    if in_flight:
        await asyncio.wait(in_flight, timeout=timeout_s + 5)
    return {"offered_rps": round(rate, 1), "sent_s": round(sent_s, 2), "requests": total, **counts,
            "ok_per_s": counts["ok"] / duration_s, "timeout_s": timeout_s}


async def _one(host, port, request, timeout_s, counts):
    try:
        status = await asyncio.wait_for(_exchange(host, port, request), timeout_s)
        counts["ok" if 200 <= status < 300 else "non_2xx"] += 1
    except asyncio.TimeoutError:
        counts["timeout"] += 1
    except (OSError, ValueError, asyncio.IncompleteReadError):
        counts["error"] += 1


async def _exchange(host, port, request):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        await writer.drain()
        line = await reader.readline()
        parts = line.split()
        if len(parts) < 2 or not parts[1].isdigit():
            raise ValueError(f"not an HTTP status line: {line[:80]!r}")
        await reader.read()  # Connection: close: the answer ends with the connection
        return int(parts[1])
    finally:
        writer.close()
