"""The goodput scenario's open-loop load made by h2load (nghttp2, C) instead of openload.py's asyncio, with
BENCH_GOODPUT_CLIENT=h2load. Not the default: h2load 1.52 reads no status from Tomcat's answers ("HTTP/1.1 200 "
without a reason phrase: status 0 in its log, counted as errors here), so the Tomcat baselines get no goodput.

Same load and the same counts as openload.run (a new HTTP/1.1 connection per request at a fixed rate, whatever the
answers; each given up after the timeout): h2load's rate mode opens `r` connections every `p` ms, each sending one
request, and closes any still open after the timeout (-T). The difference is the client's own CPU on the 2 cores
it shares with the server: measured at 800 requests/s, openload.py used 0.52 cores (656 us a request), h2load 0.11
(134 us). wrk, which measures the capacity, costs little, so with openload.py the server had about a quarter of
the machine less during the overload than during the capacity it is compared with.

Counts from h2load's per-request log (start, status, microseconds to the end of the response): ok = 2xx within the
timeout (and their p50 and p99 latency, ok_p50_ms and ok_p99_ms), non_2xx = another status within it, timeout = h2load's count of connections it gave up on, error = the
rest (refused, reset, closed without an answer); skipped is always 0 (h2load opens every connection).
"""
import re
import subprocess
import tempfile


def run(host, port, path, rate, duration_s, timeout_s):
    """A dict as openload.run returns, for an open loop at about `rate` requests/s over duration_s seconds."""
    per_period, period_ms = schedule(rate)
    actual = per_period * 1000 / period_ms
    total = max(1, int(actual * duration_s))
    with tempfile.NamedTemporaryFile(prefix="h2load-", suffix=".tsv") as log:
        out = subprocess.run(["h2load", "--h1", "-r", str(per_period), "--rate-period", f"{period_ms}ms",
                              "-c", str(total), "-n", str(total), "-T", str(int(timeout_s)), "--log-file", log.name,
                              f"http://{host}:{port}{path}"],
                             capture_output=True, text=True, timeout=duration_s + timeout_s + 60).stdout
        rows = [line.split("\t") for line in open(log.name) if line.strip()]
    counts = {"ok": 0, "non_2xx": 0}
    limit_us = timeout_s * 1e6
    ok_ms = []
    for _, status, micros in (row[:3] for row in rows):
        if status == "0":  # h2load read no status line it accepts (Tomcat's, for one): an error, not a non-2xx
            continue
        if float(micros) <= limit_us:
            counts["ok" if status.startswith("2") else "non_2xx"] += 1
            if status.startswith("2"):
                ok_ms.append(float(micros) / 1000)
    said = re.search(r"(\d+) timeout", out)
    timeouts = int(said.group(1)) if said else 0
    starts = sorted(int(row[0]) for row in rows)
    sent_s = (starts[-1] - starts[0]) / 1e6 + 1 / actual if len(starts) > 1 else duration_s
    return {"offered_rps": round(actual, 1), "sent_s": round(sent_s, 2), "requests": total, **counts,
            "timeout": timeouts, "error": max(0, total - counts["ok"] - counts["non_2xx"] - timeouts), "skipped": 0,
            "ok_per_s": counts["ok"] / duration_s, "timeout_s": timeout_s, "client": "h2load",
            "ok_p50_ms": percentile(ok_ms, 50), "ok_p99_ms": percentile(ok_ms, 99)}


def percentile(values, p):
    """The p-th percentile (nearest rank) of values, or None."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))], 1)


def schedule(rate):
    """(connections, period in ms) whose rate is closest to `rate`, with periods of 5 to 50 ms."""
    best = None
    for period_ms in range(5, 51):
        per_period = max(1, round(rate * period_ms / 1000))
        error = abs(per_period * 1000 / period_ms - rate)
        if best is None or error < best[0]:
            best = (error, per_period, period_ms)
    return best[1], best[2]

