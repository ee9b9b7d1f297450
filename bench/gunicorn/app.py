"""warhorse bench: a WSGI app with the same endpoints as the Java targets, for gunicorn's sync, gthread and
gevent workers (Debian's gunicorn 20 and python3-gevent).

  /hello       a fixed line of text (hello.war)
  /health      "ok" at once (slowdb.war, async.war)
  /query?ms=N  holds the worker N ms (default 100) with time.sleep, which gevent's monkey-patching makes
               cooperative (slowdb.war blocks in a socket read; both park a gevent greenlet the same way)
  /async?ms=N  the same as /query: WSGI has no async API; with gevent a sleeping greenlet is the async case
  /cpu?n=N     a chain of N SHA-256 hashes from b"warhorse", as cpu.war (hashlib; the harness calibrates N
               to ~5 ms per request for Python separately: the interpreter adds its own cost per round)

Run: gunicorn -k sync|gthread|gevent -b 127.0.0.1:PORT --chdir bench/gunicorn app:application
"""
import hashlib
import time
from urllib.parse import parse_qs

DEFAULT_MS = 100
MAX_MS = 60000


def sha256_chain(n):
    state = b"warhorse"
    for _ in range(n):
        state = hashlib.sha256(state).digest()
    return state.hex()


def _int(query, name, default):
    values = query.get(name)
    if not values or values[0] == "":
        return default
    try:
        return int(values[0])
    except ValueError:
        return -1


def _answer(start_response, status, body):
    data = body.encode("utf-8")
    start_response(status, [("Content-Type", "text/plain;charset=UTF-8"), ("Content-Length", str(len(data)))])
    return [data]


def _query(start_response, query, prefix=""):
    ms = _int(query, "ms", DEFAULT_MS)
    if ms < 0 or ms > MAX_MS:
        return _answer(start_response, "400 Bad Request", "bad request: want ms=N, 0 <= N <= %d\n" % MAX_MS)
    if ms:
        time.sleep(ms / 1000.0)
    return _answer(start_response, "200 OK", prefix + "ok %d ms\n" % ms)


def _cpu(start_response, query):
    n = _int(query, "n", 100000)
    if n < 0:
        return _answer(start_response, "400 Bad Request", "bad request: want n=N, N >= 0\n")
    return _answer(start_response, "200 OK", "cpu n=%d sha256=%s\n" % (n, sha256_chain(n)))


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if path == "/hello":
        return _answer(start_response, "200 OK", "Hello from warhorse\n")
    if path == "/health":
        return _answer(start_response, "200 OK", "ok\n")
    if path == "/query":
        return _query(start_response, query)
    if path == "/async":
        return _query(start_response, query, "async ")
    if path == "/cpu":
        return _cpu(start_response, query)
    return _answer(start_response, "404 Not Found", "not found\n")
