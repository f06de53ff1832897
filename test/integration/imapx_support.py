"""Shared by the test_imap_<feature>.py files: a raw line-level IMAP client (literals, IDLE, COMPRESS) and an
imaplib.IMAP4 subclass that speaks COMPRESS=DEFLATE (RFC 4978) by wrapping its socket I/O in zlib."""
import imaplib
import re
import smtplib
import socket
import ssl
import time
import zlib

PASSWORD = "secret-password"
imaplib.Commands.setdefault("COMPRESS", ("AUTH", "SELECTED"))  # RFC 4978; imaplib does not know it


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def message(subject, body="Body line.\r\n", size=0):
    text = (f"From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}@example.org>\r\n\r\n{body}")
    if size > len(text):
        line = "x" * 76 + "\r\n"
        text += line * ((size - len(text)) // len(line) + 1)
    return text.encode()


def connect(server, user="alice@example.org"):
    client = imaplib.IMAP4("127.0.0.1", server.port("imap"))
    client.starttls(ssl_context=tls_context())
    client.login(user, PASSWORD)
    return client


def restart(server):
    """Stops and starts the server; returns once its IMAP port accepts connections again (the log still holds
    the first start's "ready:", so Bulwark.start() alone returns too early)."""
    server.stop()
    server.start()
    deadline = time.time() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", server.port("imap")), timeout=1).close()
            return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def deliver_by_smtp(server, rcpt, subject):
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=20) as s:
        s.ehlo("client.test")
        s.sendmail("sender@remote.example", [rcpt], message(subject))


class Raw:
    """Line-level IMAP client for what imaplib cannot express."""

    def __init__(self, port, tls=False, timeout=20):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        if tls:
            self.sock = tls_context().wrap_socket(self.sock, server_hostname="mail.test")
        self.buffer = b""
        self.greeting = self.line()

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def recv(self):
        return self.sock.recv(65536)

    def line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.recv()
            if not chunk:
                raise EOFError(self.buffer)
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line.decode(errors="replace")

    def until_tagged(self, tag):
        lines = []
        while True:
            line = self.line()
            lines.append(line)
            if line.startswith(tag + " "):
                return lines

    def until(self, predicate):
        lines = []
        while True:
            line = self.line()
            lines.append(line)
            if predicate(line):
                return lines

    def command(self, tag, text):
        self.send(f"{tag} {text}\r\n")
        return self.until_tagged(tag)

    def login(self, user="alice@example.org"):
        lines = self.command("l", f"LOGIN {user} {PASSWORD}")
        assert lines[-1].startswith("l OK"), lines
        return lines

    def closed(self):
        """True when the server closed the connection (EOF) before sending anything more."""
        try:
            while True:
                chunk = self.recv()
                if not chunk:
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def tagged(lines):
    return lines[-1]


def find(lines, pattern):
    return [line for line in lines if re.search(pattern, line)]


class DeflateIMAP4(imaplib.IMAP4):
    """imaplib.IMAP4 that, after compress(), deflates what it sends and inflates what it reads (raw deflate,
    RFC 4978: wbits -15, each write sync-flushed)."""

    def __init__(self, *args, **kwargs):
        self._deflater = None
        self._inflater = None
        self._plain = b""
        super().__init__(*args, **kwargs)

    def compress(self):
        typ, data = self._simple_command("COMPRESS", "DEFLATE")
        if typ == "OK":
            self._deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
            self._inflater = zlib.decompressobj(-15)
        return typ, data

    def send(self, data):
        if self._deflater is None:
            return super().send(data)
        self.sock.sendall(self._deflater.compress(data) + self._deflater.flush(zlib.Z_SYNC_FLUSH))

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise imaplib.IMAP4.abort("socket error: EOF")
        self._plain += self._inflater.decompress(chunk)

    def read(self, size):
        if self._inflater is None:
            return super().read(size)
        while len(self._plain) < size:
            self._fill()
        out, self._plain = self._plain[:size], self._plain[size:]
        return out

    def readline(self):
        if self._inflater is None:
            return super().readline()
        while b"\n" not in self._plain:
            self._fill()
        index = self._plain.index(b"\n") + 1
        out, self._plain = self._plain[:index], self._plain[index:]
        return out
