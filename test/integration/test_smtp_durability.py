"""Durable acceptance (issue "SMTP" point 3, ADR 0003): a 250 after DATA means the message survives the server
being killed. Several clients send concurrently; the server gets SIGKILL right after one of them reads a 250
(the other sessions are then anywhere between MAIL and the end of their DATA), is restarted on the same
data_dir, and every acknowledged message must be in the INBOX exactly once and readable over IMAP, byte for
byte. Unacknowledged messages may be there or not, but never twice.

The messages cover the three write paths of the store: a small message for one account (kept in the account's
database), a large one for one account (blob file) and one for two accounts (one blob, two INBOXes).

SIGKILL tests the process dying at any instant, not power loss: the kernel's page cache survives it. That the
syncs reach the disk is argued in ADR 0003, not tested here.
"""
import imaplib
import random
import signal
import threading

from test_smtp_support import RawSmtp, insecure_context

PASSWORD = "secret-password"
ROUNDS = 5
SENDERS = 6


def make_message(tag, size):
    head = (f"From: load@remote.example\r\nTo: alice@example.org\r\nMessage-ID: <{tag}@durability.test>\r\n"
            f"Subject: {tag}\r\n\r\n").encode()
    line = (tag.encode() * 80)[:76] + b"\r\n"
    return head + line * max(1, (size - len(head)) // len(line))


def send_one(client, rcpts, content):
    """One transaction on an open session; True when the server answered 250 to the end of data."""
    client.send(b"MAIL FROM:<load@remote.example>\r\n")
    if client.reply()[0] != 250:
        return False
    for r in rcpts:
        if client.cmd(f"RCPT TO:<{r}>")[0] != 250:
            return False
    if client.cmd("DATA")[0] != 354:
        return False
    client.send(content + b".\r\n")
    return client.reply()[0] == 250


class Round:
    """Senders that stop at the first error; the first 250 after `kill_after` acknowledgements kills the server."""

    def __init__(self, server, number, kill_after):
        self.server, self.number, self.kill_after = server, number, kill_after
        self.lock = threading.Lock()
        self.acked = []  # (tag, rcpts, content)
        self.killed = threading.Event()

    def sender(self, index):
        rng = random.Random(self.number * 100 + index)
        try:
            client = RawSmtp(self.server.port("smtp"), timeout=10).greeting()
            client.ehlo()
            for n in range(1000):
                kind = rng.choice(["small", "small", "large", "shared"])
                tag = f"r{self.number}s{index}n{n}{kind}"
                size = 300 * 1024 if kind == "large" else rng.choice([600, 4096, 20000])
                rcpts = ["alice@example.org", "bob@example.org"] if kind == "shared" else ["alice@example.org"]
                content = make_message(tag, size)
                if not send_one(client, rcpts, content):
                    return
                with self.lock:
                    self.acked.append((tag, rcpts, content))
                    if len(self.acked) >= self.kill_after and not self.killed.is_set():
                        self.killed.set()
                        self.server.proc.send_signal(signal.SIGKILL)  # right after this 250
        except (OSError, ConnectionError, AssertionError):
            return  # the server is gone

    def run(self):
        threads = [threading.Thread(target=self.sender, args=(i,)) for i in range(SENDERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert self.killed.is_set(), "the round ended before the server was killed"
        return self.acked


def imap_messages(server, user):
    """Message-ID tag -> list of full message bytes, over IMAPS."""
    client = imaplib.IMAP4_SSL("127.0.0.1", server.port("imaps"), ssl_context=insecure_context())
    try:
        client.login(user, PASSWORD)
        typ, data = client.select("INBOX", readonly=True)
        assert typ == "OK"
        out = {}
        if int(data[0]) == 0:
            return out
        typ, data = client.fetch("1:*", "(BODY.PEEK[])")
        assert typ == "OK"
        for item in data:
            if not isinstance(item, tuple):
                continue
            content = item[1]
            start = content.find(b"Message-ID: <")
            assert start >= 0, content[:300]
            tag = content[start + 13:content.index(b"@", start)].decode()
            out.setdefault(tag, []).append(content)
        return out
    finally:
        client.logout()


def test_every_acknowledged_message_survives_sigkill(make_server):
    server = make_server({"smtp": {"max_messages_per_minute_per_ip": 0}})
    server.add_user("alice@example.org")
    server.add_user("bob@example.org")
    server.start()
    acked = []
    rng = random.Random(7)
    for number in range(ROUNDS):
        acked += Round(server, number, kill_after=rng.randint(1, 25)).run()
        server.stop()  # reaps the killed process
        assert server.proc.returncode == -signal.SIGKILL
        # A fresh log, so that start() waits for this start's "ready:", not the last one's.
        server.log_path.rename(server.log_path.with_suffix(f".{number}.log"))
        server.start()
    assert len(acked) >= ROUNDS
    stored = {user: imap_messages(server, user) for user in ("alice@example.org", "bob@example.org")}
    for tag, rcpts, content in acked:
        for user in rcpts:
            copies = stored[user].get(tag, [])
            assert len(copies) == 1, f"{tag} in {user}'s INBOX {len(copies)} times"
            assert copies[0].endswith(content), f"{tag}: stored bytes differ"
            assert copies[0].startswith(b"Return-Path: <load@remote.example>\r\nReceived: ")
    for user in stored:
        for tag, copies in stored[user].items():
            assert len(copies) == 1, f"unacknowledged {tag} in {user}'s INBOX {len(copies)} times"
