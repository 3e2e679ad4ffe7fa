"""HTTP/1.1 written and read by hand on one kept-alive connection: the bytes a proxy sees."""

import json
import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlencode

HOST = "portal.example.org"
TIMEOUT = 10


@dataclass
class Answer:
    status: int
    headers: dict
    cookies: list = field(default_factory=list)
    body: bytes = b""

    @property
    def text(self):
        return self.body.decode()

    def json(self):
        return json.loads(self.body)


class Connection:
    """A connection from `source` (a loopback address: nginx sees it as the client's)."""

    def __init__(self, port, *, source="127.0.0.1", tls_context=None):
        sock = socket.create_connection(("127.0.0.1", port), TIMEOUT, source_address=(source, 0))
        if tls_context is not None:
            sock = tls_context.wrap_socket(sock, server_hostname=HOST)
        self.sock = sock
        self.buffer = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.sock.close()

    def send(self, method, path, headers=None, body=b""):
        headers = {"Host": HOST, **(headers or {})}
        if body:
            headers["Content-Length"] = str(len(body))
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.sock.sendall(f"{method} {path} HTTP/1.1\r\n{head}\r\n".encode("latin-1") + body)

    def request(self, method, path, headers=None, body=b""):
        self.send(method, path, headers, body)
        return self.read_answer(method)

    def read_answer(self, method):
        head = self._read_until(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        assert re.fullmatch(r"HTTP/1\.1 \d{3} .*", status_line), f"not an answer: {head[:200]!r}"
        status = int(status_line.split()[1])
        headers, cookies = {}, []
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
            if name.strip().lower() == "set-cookie":
                cookies.append(value.strip())
        if method == "HEAD" or status in (204, 304):
            body = b""
        elif headers.get("transfer-encoding") == "chunked":
            body = self._read_chunked()
        else:
            body = self._read_exactly(int(headers.get("content-length", 0)))
        return Answer(status, headers, cookies, body)

    def leftover(self, wait=0.3):
        """What the server sent after the last answer: nothing, on a healthy connection."""
        if self.buffer:
            return self.buffer
        self.sock.settimeout(wait)
        try:
            return self.sock.recv(65536)
        except TimeoutError:
            return b""
        finally:
            self.sock.settimeout(TIMEOUT)

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError(f"closed by the server; unread: {self.buffer[:200]!r}")
        self.buffer += data

    def _read_until(self, marker):
        while marker not in self.buffer:
            self._fill()
        found, self.buffer = self.buffer.split(marker, 1)
        return found

    def _read_exactly(self, length):
        while len(self.buffer) < length:
            self._fill()
        found, self.buffer = self.buffer[:length], self.buffer[length:]
        return found

    def _read_chunked(self):
        body = b""
        while True:
            size = int(self._read_until(b"\r\n").split(b";")[0], 16)
            body += self._read_exactly(size)
            self._read_until(b"\r\n")
            if size == 0:
                return body


def form_body(values):
    return urlencode(values).encode()
