"""Answers per connection: is every keep-alive connection served in its turn?

wrk reports how many requests were answered and how fast, over all its connections together; a connection whose
request is never answered shows in neither figure, and wrk counted no timeout for one that waited a whole 10 s run
(async kind, 2026-12-02: 7 of 16 connections unanswered while the other 9 got ~250 answers each). This client opens
`connections` keep-alive connections, each asking `path` again as soon as it is answered, for `seconds`, and reports
the answers of each connection and the longest any request waited. An answer after the end is not counted; a
request unanswered 2 s after it counts as having waited until the end. Standard library only, like the rest of the harness.

    python3 bench/lib/turns.py --port 8000 --path '/cpu?n=150000' --connections 16 --seconds 10
"""
import argparse
import json
import socket
import threading
import time

HOST = "127.0.0.1"
GRACE_S = 2  # how long after the end a request still waits for its answer


def read_response(sock, pending):
    """Reads one HTTP/1.1 response (Content-Length or chunked body) from sock; pending holds bytes read past the
    previous one. Returns (status, rest): the status code and the bytes read past this response."""
    data = pending
    while b"\r\n\r\n" not in data:
        data += recv(sock)
    head, _, data = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        fields[name.strip().lower()] = value.strip()
    if b"chunked" in fields.get(b"transfer-encoding", b"").lower():
        while True:
            while b"\r\n" not in data:
                data += recv(sock)
            size_line, _, data = data.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(data) < size + 2:
                data += recv(sock)
            data = data[size + 2:]
            if size == 0:
                return status, data
    length = int(fields.get(b"content-length", b"0"))
    while len(data) < length:
        data += recv(sock)
    return status, data[length:]


def recv(sock):
    chunk = sock.recv(65536)
    if not chunk:
        raise ConnectionError("the server closed the connection")
    return chunk


def run(port, path, connections, seconds, host=HOST):
    """Returns {answers: [per connection, sorted], total, longest_wait_s, statuses, errors}."""
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode("ascii")
    answers = [0] * connections
    longest = [0.0] * connections
    statuses = {}
    errors = []
    lock = threading.Lock()
    start = time.monotonic()
    stop = start + seconds

    def connection(me):
        asked = time.monotonic()
        try:
            with socket.create_connection((host, port), timeout=seconds + GRACE_S) as sock:
                pending = b""
                while time.monotonic() < stop:
                    asked = time.monotonic()
                    sock.settimeout(stop - asked + GRACE_S)
                    sock.sendall(request)
                    status, pending = read_response(sock, pending)
                    now = time.monotonic()
                    longest[me] = max(longest[me], now - asked)
                    if now <= stop:  # an answer after the end is not counted, but its wait is
                        answers[me] += 1
                    with lock:
                        statuses[status] = statuses.get(status, 0) + 1
        except socket.timeout:  # still unanswered GRACE_S after the end: it waited at least until the end
            longest[me] = max(longest[me], stop - asked)
        except (OSError, ValueError, ConnectionError) as e:
            longest[me] = max(longest[me], min(time.monotonic(), stop) - asked)
            with lock:
                errors.append(f"connection {me}: {e}")

    threads = [threading.Thread(target=connection, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 2 * GRACE_S)
    return {"answers": sorted(answers), "total": sum(answers), "longest_wait_s": round(max(longest), 3),
            "statuses": {str(k): v for k, v in sorted(statuses.items())}, "errors": errors}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=HOST)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    result = run(args.port, args.path, args.connections, args.seconds, args.host)
    answers = result["answers"]
    print(f"answers per connection: fewest {answers[0]}, most {answers[-1]}, total {result['total']}; "
          f"unanswered connections {sum(1 for a in answers if a == 0)}; longest wait {result['longest_wait_s']} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
