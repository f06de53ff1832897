"""Reads a test server's mail straight from its data_dir, without IMAP: the directory (directory.db) gives the
account id, the account's mail.db lists the messages of a mailbox, and the bytes (named by their SHA-256) are
either in that mail.db's body table (a small message for one account, ADR 0003) or in the blob file under
data_dir/blobs/<first 2 hex>/<rest>.

Read-only (SQLite opened with mode=ro); safe while the server runs (WAL).
"""
import hashlib
import pathlib
import sqlite3


def _connect(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)


def account_id(data_dir, address):
    local, domain = address.rsplit("@", 1)
    with _connect(pathlib.Path(data_dir) / "directory.db") as db:
        row = db.execute("SELECT id FROM account WHERE local_key = ? AND domain = ?",
                         (local.lower(), domain.lower())).fetchone()
    if row is None:
        raise KeyError(f"no account {address}")
    return row[0]


def blob_path(data_dir, blob_id):
    return pathlib.Path(data_dir) / "blobs" / blob_id[:2] / blob_id[2:]


def read_blob(data_dir, blob_id):
    data = blob_path(data_dir, blob_id).read_bytes()
    assert hashlib.sha256(data).hexdigest() == blob_id, "blob content does not match its name"
    return data


class Message:
    def __init__(self, uid, size, blob_id, flags, content):
        self.uid, self.size, self.blob_id, self.flags, self.content = uid, size, blob_id, flags, content

    def __repr__(self):
        return f"Message(uid={self.uid}, size={self.size}, blob={self.blob_id[:12]})"


def messages(data_dir, address, mailbox="INBOX"):
    """The messages in one of the account's mailboxes, in uid order (empty if the account has no mail.db yet)."""
    db_path = pathlib.Path(data_dir) / "accounts" / str(account_id(data_dir, address)) / "mail.db"
    if not db_path.exists():
        return []
    with _connect(db_path) as db:
        rows = db.execute(
            "SELECT m.uid, m.size, m.blob_id, m.flags, (SELECT data FROM body WHERE id = m.blob_id) "
            "FROM message m JOIN mailbox b ON b.id = m.mailbox_id WHERE b.name = ? ORDER BY m.uid",
            (mailbox,)).fetchall()
    out = []
    for uid, size, blob, flags, inline in rows:
        if inline is not None:
            assert hashlib.sha256(inline).hexdigest() == blob, "inline body does not match its name"
            content = bytes(inline)
        else:
            content = read_blob(data_dir, blob)
        out.append(Message(uid, size, blob, flags.split(), content))
    return out


def inline_body_count(data_dir, address):
    """Bodies kept inside the account's mail.db (0 if it has none yet)."""
    db_path = pathlib.Path(data_dir) / "accounts" / str(account_id(data_dir, address)) / "mail.db"
    if not db_path.exists():
        return 0
    with _connect(db_path) as db:
        return db.execute("SELECT count(*) FROM body").fetchone()[0]


def inbox(server, address):
    return messages(server.data_dir, address, "INBOX")


def blob_count(data_dir):
    root = pathlib.Path(data_dir) / "blobs"
    return sum(1 for p in root.glob("??/*") if p.is_file())


def queue_entries(data_dir):
    """(id, sender, [recipient addresses], blob_id) of every message in data_dir/queue.db."""
    path = pathlib.Path(data_dir) / "queue.db"
    if not path.exists():
        return []
    with _connect(path) as db:
        out = []
        for qid, sender, blob in db.execute("SELECT id, sender, blob_id FROM queue_message ORDER BY id").fetchall():
            rcpts = [r[0] for r in db.execute(
                "SELECT address FROM queue_recipient WHERE message_id = ? ORDER BY position", (qid,))]
            out.append((qid, sender, rcpts, blob))
        return out
