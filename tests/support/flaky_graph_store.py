"""A Graph Store that is busy at first: answers the first FAILURES requests
with 503 Service Unavailable ("busy, try again"), then accepts everything
with 204 No Content. It listens on a free loopback port, prints that port on
its first line, then one line per request (`METHOD PATH STATUS`), so a test
can check what a client retried. With CERT and KEY it speaks HTTPS with
that certificate (tests/support/tls/self-signed.*, which no client trusts).
With FAILURES `redirect` it answers every request with 301 Moved
Permanently to /moved.

Usage: flaky_graph_store.py FAILURES|redirect [CERT KEY]
"""
import ssl
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    failures_left = 0
    redirect = False

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if Handler.redirect:
            self.send_response(301)
            self.send_header("Location", "/moved")
            self.send_header("Content-Length", "0")
            self.end_headers()
            print(f"{self.command} {self.path} 301", flush=True)
            return
        if Handler.failures_left > 0:
            Handler.failures_left -= 1
            status, body = 503, b"busy, try again\nsecond line\n"
        else:
            status, body = 204, b""
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        print(f"{self.command} {self.path} {status}", flush=True)

    do_PUT = answer
    do_POST = answer

    def log_message(self, *args):
        pass


def main():
    failures, *tls = sys.argv[1:]
    if failures == "redirect":
        Handler.redirect = True
    else:
        Handler.failures_left = int(failures)
    server = HTTPServer(("127.0.0.1", 0), Handler)
    if tls:
        cert, key = tls
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
