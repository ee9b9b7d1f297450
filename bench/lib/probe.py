"""A request-accounting client for the master benchmarks (HUP, recycling, TERM under load).

wrk makes the load, but it cannot say which of its errors were requests lost: a connect that the kernel refuses
asynchronously (the listener is closed; on loopback connect() returns EINPROGRESS and the refusal arrives as the
socket's first event) is counted by wrk as a write (or read) error, exactly like a request cut off mid-flight, and after
TERM wrk retries such connects tens of thousands of times a second. This probe runs beside wrk on a few
keep-alive connections and classifies every request it tries:

- ok:        a complete 2xx response;
- non-2xx:   a complete response with another status (a 503 during a drain would be a defect);
- refused:   the connection was refused or reset before it was accepted: the request was never sent to a
             listening server (expected once TERM closed the listener; a defect before that);
- retried:   the request went out on a reused keep-alive connection that the server had closed (EOF or reset
             before any byte of the response), and was sent again on a fresh connection, as HTTP/1.1 clients
             do for idempotent requests (RFC 9112 section 9.3.1); counted once, under the fresh attempt's result;
- lost:      the request was written to an accepted connection (a fresh one, or a reused one that had already
             answered part of a response) and no complete response came back: what the goal of 0 is about.

It honours `Connection: close`. Standard library only, like the rest of the harness.
"""
import socket
import threading
import time

HOST = "127.0.0.1"


class Tally:
    FIELDS = ("ok", "non_2xx", "refused", "retried", "lost")

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = dict.fromkeys(self.FIELDS, 0)
        self.first_refused = None      # seconds since start of the first refusal
        self.lost_examples = []

    def add(self, field, note=None, at=None):
        with self.lock:
            self.counts[field] += 1
            if field == "refused" and self.first_refused is None:
                self.first_refused = at
            if field == "lost" and note and len(self.lost_examples) < 5:
                self.lost_examples.append(note)


class _Closed(Exception):
    """The connection ended; partial says whether any byte of the response had arrived."""

    def __init__(self, partial, why):
        super().__init__(why)
        self.partial = partial


def _read_response(sock):
    """(status, keep_alive) of one response with a Content-Length or chunked body; raises _Closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = _recv(sock, bool(data))
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        need = int(headers["content-length"])
        while len(rest) < need:
            rest += _recv(sock, True)
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while not rest.endswith(b"0\r\n\r\n"):
            rest += _recv(sock, True)
    keep_alive = headers.get("connection", "").lower() != "close"
    return status, keep_alive


def _recv(sock, partial):
    try:
        chunk = sock.recv(65536)
    except ConnectionResetError:
        raise _Closed(partial, "reset")
    except socket.timeout:
        raise _Closed(partial, "timeout")
    if not chunk:
        raise _Closed(partial, "eof")
    return chunk


def _connect(port, timeout):
    sock = socket.create_connection((HOST, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _worker(port, path, tally, stop, started, timeout):
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()
    sock = None
    while not stop.is_set():
        reused = sock is not None
        try:
            if sock is None:
                sock = _connect(port, timeout)
        except (ConnectionRefusedError, ConnectionResetError):
            tally.add("refused", at=time.monotonic() - started)
            time.sleep(0.001)
            continue
        except OSError as e:
            tally.add("refused", at=time.monotonic() - started)
            time.sleep(0.001)
            continue
        try:
            sock.sendall(request)
            status, keep_alive = _read_response(sock)
        except (_Closed, OSError) as e:
            partial = isinstance(e, _Closed) and e.partial
            sock.close()
            sock = None
            if reused and not partial:
                tally.add("retried")        # the next turn of the loop sends it again on a fresh connection
                continue
            # a fresh connection that was accepted, or a response cut off: lost, unless the listener had
            # closed and the kernel reset the connection from its accept queue, which is a refusal
            tally.add("lost", note=f"{'reused' if reused else 'fresh'} connection: {e} "
                                   f"at {time.monotonic() - started:.3f} s")
            continue
        tally.add("ok" if 200 <= status < 300 else "non_2xx")
        if not keep_alive:
            sock.close()
            sock = None
    if sock is not None:
        sock.close()


def start(port, path, connections=8, timeout=10.0):
    """Starts the probe; returns stop(), which ends it and returns its counts (a dict)."""
    tally = Tally()
    stop = threading.Event()
    started = time.monotonic()
    threads = [threading.Thread(target=_worker, args=(port, path, tally, stop, started, timeout), daemon=True)
               for _ in range(connections)]
    for t in threads:
        t.start()

    def finish():
        stop.set()
        for t in threads:
            t.join(timeout + 5)
        result = dict(tally.counts)
        result["seconds"] = round(time.monotonic() - started, 3)
        if tally.first_refused is not None:
            result["first_refused_s"] = round(tally.first_refused, 3)
        if tally.lost_examples:
            result["lost_examples"] = tally.lost_examples
        return result

    return finish
