"""Group commit of the outbound queue (src/store/sqlite/sqlite_queue_store.cpp): submissions that arrive together
share one queue.db transaction and sync, small messages are kept inside queue.db, larger ones as blob files. Checked
end to end: concurrent submissions are each delivered exactly once, and a SIGKILL in the middle of concurrent
submissions loses no message that was answered 250 (the 250 still follows the sync)."""
import collections
import email.utils
import smtplib
import threading

from mailbox_inspect import queue_entries
from outbound_harness import DnsPeer, Receiver, delivery_settings, free_port_on, restart, wait_until
from test_smtp_support import insecure_context

PASSWORD = "secret-password"
ZONE = {"remote.example": [("MX", 10, "mx.remote.example")], "mx.remote.example": [("A", "127.0.0.2")]}
INLINE_LIMIT = 8192  # inline_message_size: bodies alternate below and above it


def body_for(tag, size):
    head = (f"From: alice@example.org\r\nDate: {email.utils.formatdate()}\r\nSubject: {tag}\r\n"
            f"Message-ID: <{tag}@example.org>\r\n\r\n")
    line = (tag + " filler text\r\n").encode()
    filler = (line * (size // len(line) + 1))[:size]
    return head.encode() + filler + b"\r\n"


def message_id(content):
    for line in content.split(b"\r\n"):
        if line.lower().startswith(b"message-id:"):
            return line.split(b":", 1)[1].strip().decode()
    return None


def submit_many(server, worker, count, accepted, errors, stop=None):
    """One SMTP session sending `count` messages (one remote recipient each); records what got its 250."""
    try:
        with smtplib.SMTP("127.0.0.1", server.port("submission"), timeout=30) as s:
            s.starttls(context=insecure_context())
            s.login("alice@example.org", PASSWORD)
            for i in range(count):
                if stop is not None and stop.is_set():
                    return
                tag = f"w{worker}m{i}"
                rcpt = f"{tag}@remote.example"
                body = body_for(tag, 1000 if i % 2 == 0 else 3 * INLINE_LIMIT)
                assert s.sendmail("alice@example.org", [rcpt], body) == {}
                accepted.append((tag, rcpt, body))
    except (smtplib.SMTPException, OSError) as e:  # the kill test cuts sessions on purpose
        errors.append(repr(e))


def test_concurrent_submissions_each_delivered_exactly_once(make_server):
    port = free_port_on(["127.0.0.2"])
    dns = DnsPeer(ZONE)
    rx = Receiver("127.0.0.2", port)
    srv = make_server({"": {"inline_message_size": INLINE_LIMIT},
                       "delivery": delivery_settings(dns, port, max_connections_per_domain=4),
                       "smtp": {"max_messages_per_minute_per_ip": 0}})
    try:
        srv.add_user("alice@example.org")
        srv.start()
        accepted, errors = [], []
        workers = [threading.Thread(target=submit_many, args=(srv, w, 8, accepted, errors)) for w in range(8)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
        assert errors == []
        assert len(accepted) == 64
        wait_until(lambda: queue_entries(srv.data_dir) == [], what="empty queue")
        # The queue is empty, so nothing more can be delivered: the receiver's list is final.
        got = collections.Counter(message_id(content) for _, _, content in rx.messages)
        assert got == collections.Counter(f"<{tag}@example.org>" for tag, _, _ in accepted)
        assert set(got.values()) == {1}
        by_id = {message_id(content): (rcpts, content) for _, rcpts, content in rx.messages}
        for tag, rcpt, body in accepted:
            rcpts, content = by_id[f"<{tag}@example.org>"]
            assert rcpts == [rcpt]
            assert content.endswith(body)  # after our Received: field, byte for byte (inline and blob alike)
    finally:
        srv.stop()
        rx.stop()
        dns.stop()


def test_kill_9_during_concurrent_submissions_keeps_every_accepted_message(make_server):
    port = free_port_on(["127.0.0.2"])
    dns = DnsPeer(ZONE)
    rx = Receiver("127.0.0.2", port)
    settings = delivery_settings(dns, port)
    settings["enabled"] = False  # the queue holds what was accepted until the restart
    srv = make_server({"": {"inline_message_size": INLINE_LIMIT}, "delivery": settings,
                       "smtp": {"max_messages_per_minute_per_ip": 0}})
    try:
        srv.add_user("alice@example.org")
        srv.start()
        accepted, errors = [], []
        stop = threading.Event()
        workers = [threading.Thread(target=submit_many, args=(srv, w, 400, accepted, errors, stop))
                   for w in range(6)]
        for t in workers:
            t.start()
        wait_until(lambda: len(accepted) >= 30, what="submissions under way")
        srv.proc.kill()  # SIGKILL while sessions are mid-transaction
        srv.proc.wait()
        srv.log_file.close()
        stop.set()
        for t in workers:
            t.join()
        assert accepted, "nothing was accepted before the kill"
        queued = {rcpts[0] for _, _, rcpts, _ in queue_entries(srv.data_dir)}
        missing = [rcpt for _, rcpt, _ in accepted if rcpt not in queued]
        assert missing == [], f"answered 250 but not in the queue after SIGKILL: {missing[:5]}"
        # The restarted server delivers every accepted message, bytes intact (inline ones read from queue.db).
        srv.settings["delivery"]["enabled"] = True
        srv.write_config()
        restart(srv)
        wait_until(lambda: queue_entries(srv.data_dir) == [], timeout=60, what="queue drained after restart")
        by_id = {message_id(content): content for _, _, content in rx.messages}
        for tag, _, body in accepted:
            assert by_id[f"<{tag}@example.org>"].endswith(body)
    finally:
        if srv.proc is not None and srv.proc.poll() is None:
            srv.stop()
        rx.stop()
        dns.stop()
