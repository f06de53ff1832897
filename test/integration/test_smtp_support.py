"""Helpers for the SMTP integration tests (no tests here): a raw line-level SMTP client for what smtplib will not
send (smuggling, pipelining injection, BDAT, oversize lines), and TLS contexts that accept the test server's
self-signed certificate."""
import socket
import ssl
import time


def insecure_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class RawSmtp:
    def __init__(self, port, timeout=10, tls=False):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        if tls:
            self.sock = insecure_context().wrap_socket(self.sock, server_hostname="mail.test")
        self.buf = b""

    def starttls(self):
        self.sock = insecure_context().wrap_socket(self.sock, server_hostname="mail.test")
        self.buf = b""

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed; buffered: %r" % self.buf)
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode("utf-8", "replace")

    def reply(self):
        """(code, text of all lines joined by newlines)."""
        lines = []
        while True:
            line = self._line()
            lines.append(line[4:])
            if len(line) < 4 or line[3] != "-":
                return int(line[:3]), "\n".join(lines)

    def cmd(self, line):
        self.send(line + "\r\n")
        return self.reply()

    def greeting(self):
        code, text = self.reply()
        assert code == 220, text
        return self

    def ehlo(self, name="client.test"):
        code, text = self.cmd("EHLO " + name)
        assert code == 250, text
        return text

    def closed(self, timeout=5):
        """True when the server closes the connection within `timeout` (after any pending bytes)."""
        self.sock.settimeout(timeout)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
        except (ConnectionResetError, ssl.SSLError):
            return True
        except socket.timeout:
            return False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def wait_until(predicate, timeout=5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
