#!/usr/bin/env python3
"""Checks harness.py's wait for a multi-worker master's workers against a fake admin listener on 127.0.0.1 (a real
socket, port 0): python3 bench/lib/test_harness.py"""
import http.server
import json
import threading
import unittest

import harness


class FakeAdmin(http.server.BaseHTTPRequestHandler):
    states = []  # one state per worker, changed by the test

    def do_GET(self):
        body = json.dumps({"workers": [{"state": s} for s in self.states]}).encode()
        self.send_response(200 if self.path == "/metrics.json" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Running:
    returncode = None

    def poll(self):
        return None


class WaitWorkersReadyTest(unittest.TestCase):
    def setUp(self):
        FakeAdmin.states = ["ready", "booting"]
        self.admin = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeAdmin)
        threading.Thread(target=self.admin.serve_forever, daemon=True).start()
        self.app_port = self.admin.server_address[1] - 1000  # the admin listener's default: the app port + 1000

    def tearDown(self):
        self.admin.shutdown()
        self.admin.server_close()

    def test_returns_once_every_worker_is_ready(self):
        timer = threading.Timer(0.3, lambda: setattr(FakeAdmin, "states", ["ready", "ready"]))
        timer.start()
        try:
            harness.wait_workers_ready(Running(), self.app_port, 2, deadline_s=10, poll_s=0.05)
        finally:
            timer.cancel()
        self.assertEqual(["ready", "ready"], FakeAdmin.states)

    def test_says_how_many_were_ready_at_the_deadline(self):
        with self.assertRaisesRegex(RuntimeError, "1 of 2 workers ready"):
            harness.wait_workers_ready(Running(), self.app_port, 2, deadline_s=0.3, poll_s=0.05)


if __name__ == "__main__":
    unittest.main()
