"""Checks turns.py against a local server that answers some connections and never others:
python3 bench/lib/test_turns.py"""
import http.server
import threading
import unittest

import turns


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    served = set()   # the client ports of the connections answered; every other one is left waiting
    lock = threading.Lock()

    def do_GET(self):
        port = self.client_address[1]
        with Handler.lock:
            if len(Handler.served) < 2:
                Handler.served.add(port)
            answer = port in Handler.served
        if not answer:
            self.rfile.read(1)  # blocks until the client closes: never answered
            return
        body = b"ok"
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"2\r\nok\r\n0\r\n\r\n")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class TurnsTest(unittest.TestCase):

    def setUp(self):
        Handler.served = set()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()

    def test_an_unanswered_connection_shows_as_zero_answers_and_a_whole_run_of_waiting(self):
        for path in ("/", "/chunked"):
            with self.subTest(path=path):
                Handler.served = set()
                result = turns.run(self.server.server_address[1], path, 3, 0.5)
                self.assertEqual(0, result["answers"][0], result)
                self.assertGreater(result["answers"][1], 0, result)
                # from its send, just after the start (thread start and connect), to the end of the run
                self.assertGreater(result["longest_wait_s"], 0.4, result)
                self.assertGreaterEqual(result["statuses"].get("200", 0), result["total"], result)
                self.assertEqual([], result["errors"])


if __name__ == "__main__":
    unittest.main()
