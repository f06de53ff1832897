"""A small raw IMAP client for scripted conformance tests: exact commands on the wire, responses read with
their literals inline, tags checked. Shared by test_imap_conformance.py and test_imap_mbsync.py."""
import re
import socket
import ssl

PASSWORD = "secret-password"
LITERAL = re.compile(rb"\{(\d+)\}$")


class Wire:
    def __init__(self, port, tls=False, timeout=20):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        if tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            self.sock = context.wrap_socket(self.sock, server_hostname="mail.test")
        self.buffer = b""
        self.counter = 0
        self.greeting = self.response_line()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def _fill(self):
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise EOFError(self.buffer)
        self.buffer += chunk

    def _raw_line(self):
        while b"\r\n" not in self.buffer:
            self._fill()
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line

    def response_line(self):
        """One response line as bytes, any literals ({n}CRLF + n octets) included inline."""
        line = self._raw_line()
        while True:
            match = LITERAL.search(line)
            if not match:
                return line
            size = int(match.group(1))
            while len(self.buffer) < size:
                self._fill()
            line += b"\r\n" + self.buffer[:size]
            self.buffer = self.buffer[size:]
            line += self._raw_line()

    def tag(self):
        self.counter += 1
        return f"c{self.counter}"

    def until_tagged(self, tag):
        untagged = []
        while True:
            line = self.response_line()
            if line.startswith(tag.encode() + b" "):
                return [u.decode(errors="replace") for u in untagged], line.decode(errors="replace")
            untagged.append(line)

    def cmd(self, text):
        """Sends one command (str or bytes, without tag and CRLF); returns (untagged lines, tagged line)."""
        tag = self.tag()
        payload = text.encode() if isinstance(text, str) else text
        self.send(tag.encode() + b" " + payload + b"\r\n")
        return self.until_tagged(tag)

    def ok(self, text):
        untagged, tagged = self.cmd(text)
        assert tagged.split(" ")[1] == "OK", (text, untagged, tagged)
        return untagged

    def status_of(self, text):
        return self.cmd(text)[1].split(" ")[1]

    def login(self, user="alice@example.org"):
        self.ok(f"LOGIN {user} {PASSWORD}")
        return self

    def append(self, mailbox, message, flags="", date=""):
        extra = (f" ({flags})" if flags else "") + (f' "{date}"' if date else "")
        untagged, tagged = self.cmd(f"APPEND {mailbox}{extra} {{{len(message)}+}}\r\n".encode() + message)
        assert " OK " in tagged, tagged
        return tagged
