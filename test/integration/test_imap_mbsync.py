"""mbsync (isync), a strict IMAP client, syncing a Bulwark account with a local Maildir both ways: over IMAPS
with the server's self-signed certificate pinned (CertificateFile), and over plain IMAP on loopback.
Changes are made on each side in turn and checked on the other: on the server with imaplib, locally in the
Maildir file names (RFC-less, but mbsync's: ":2,<flags>")."""
import imaplib
import os
import pathlib
import re
import shutil
import subprocess

import pytest

from test_imap import PASSWORD, connect, tls_context

pytestmark = pytest.mark.skipif(shutil.which("mbsync") is None, reason="mbsync (isync) is not installed")


def message(subject, body="body text\r\n", message_id=None):
    message_id = message_id or f"<{subject.replace(' ', '.')}@example.org>"
    return (f"From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: {subject}\r\n"
            f"Date: Tue, 1 Jul 2025 10:52:37 +0200\r\nMessage-ID: {message_id}\r\n\r\n{body}").encode()


class Mbsync:
    def __init__(self, server, workdir, tls):
        self.root = pathlib.Path(workdir)
        self.maildir = self.root / "Mail"
        self.maildir.mkdir(parents=True, exist_ok=True)
        self.config = self.root / "mbsyncrc"
        if tls:
            cert = server.data_dir / "tls" / "self-signed.crt"
            assert cert.exists(), "the server did not write its self-signed certificate"
            transport = f"Port {server.port('imaps')}\nSSLType IMAPS\nCertificateFile {cert}\n"
        else:
            transport = f"Port {server.port('imap')}\nSSLType None\n"
        self.config.write_text(
            "IMAPAccount bulwark\nHost 127.0.0.1\n" + transport +
            f"User alice@example.org\nPass {PASSWORD}\nAuthMechs LOGIN\nPipelineDepth 50\n\n"
            "IMAPStore remote\nAccount bulwark\n\n"
            f"MaildirStore local\nPath {self.maildir}/\nInbox {self.maildir}/INBOX\nSubFolders Verbatim\n\n"
            "Channel sync\nFar :remote:\nNear :local:\nPatterns * !Junk !Drafts !Sent !Archive\n"
            "Create Both\nRemove Both\nExpunge Both\nSync All\nSyncState *\nCopyArrivalDate yes\n")

    def run(self):
        result = subprocess.run(["mbsync", "-c", str(self.config), "-a"], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, f"mbsync failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        return result

    def files(self, folder):
        """{Subject: flags} of the messages in a local Maildir folder."""
        out = {}
        for sub in ("cur", "new"):
            directory = self.maildir / folder / sub
            if not directory.exists():
                continue
            for path in directory.iterdir():
                subject = re.search(rb"^Subject: (.*?)\r?$", path.read_bytes(), re.M).group(1).decode()
                flags = path.name.split(":2,")[1] if ":2," in path.name else ""
                out[subject] = (flags, path)
        return out

    def deliver(self, folder, raw, flags=""):
        directory = self.maildir / folder
        for sub in ("cur", "new", "tmp"):
            (directory / sub).mkdir(parents=True, exist_ok=True)
        name = f"{os.getpid()}.{len(raw)}.{abs(hash(raw))}.local"
        target = directory / ("cur" if flags else "new") / (name + (f":2,{flags}" if flags else ""))
        target.write_bytes(raw)


def set_flags(path, flags):
    base = path.name.split(":2,")[0]
    new = path.parent.parent / "cur" / f"{base}:2,{''.join(sorted(flags))}"
    path.rename(new)


def server_state(server, mailbox):
    """{Subject: set of flags} on the server."""
    client = connect(server)
    typ, _ = client.select(f'"{mailbox}"')
    assert typ == "OK", mailbox
    state = {}
    typ, data = client.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    if data and data[0] is not None:
        for item in data:
            if not isinstance(item, tuple):
                continue
            flags = set(re.search(rb"FLAGS \(([^)]*)\)", item[0]).group(1).decode().split())
            subject = re.search(rb"Subject: (.*?)\r\n", item[1]).group(1).decode()
            state[subject] = flags
    client.logout()
    return state


@pytest.mark.parametrize("tls", [True, False], ids=["imaps-pinned-cert", "plain-loopback"])
def test_mbsync_syncs_both_ways(server, tmp_path, tls):
    client = connect(server)
    client.append("INBOX", "(\\Seen)", None, message("first"))
    client.append("INBOX", None, None, message("second"))
    client.append("INBOX", "(\\Flagged $Work)", None, message("third"))
    client.create("Projects")
    client.append("Projects", None, None, message("project plan"))
    client.create("Projects/Old")
    client.logout()
    sync = Mbsync(server, tmp_path / "sync", tls)

    # 1. Pull everything.
    sync.run()
    inbox = sync.files("INBOX")
    assert set(inbox) == {"first", "second", "third"}
    assert "S" in inbox["first"][0] and inbox["second"][0] in ("",) and "F" in inbox["third"][0]
    assert set(sync.files("Projects")) == {"project plan"}
    assert (sync.maildir / "Projects" / "Old" / "cur").exists()

    # 2. Change locally: flag, mark seen, delete, add, new folder; push.
    set_flags(inbox["second"][1], "FS")
    set_flags(inbox["first"][1], "ST")  # trashed: Expunge Both removes it from the server
    sync.deliver("INBOX", message("written locally"))
    sync.deliver("Local", message("local folder mail"), flags="S")
    sync.run()
    state = server_state(server, "INBOX")
    assert set(state) == {"second", "third", "written locally"}
    assert {"\\Flagged", "\\Seen"} <= state["second"]
    assert "\\Flagged" in state["third"]
    assert "\\Seen" not in state["written locally"]
    assert server_state(server, "Local") == {"local folder mail": {"\\Seen"}}

    # 3. Change on the server; pull.
    client = connect(server)
    client.select("INBOX")
    typ, data = client.search(None, "SUBJECT", '"third"')
    third = data[0].decode()
    client.store(third, "-FLAGS", "(\\Flagged)")
    client.store(third, "+FLAGS", "(\\Answered)")
    typ, data = client.search(None, "SUBJECT", '"second"')
    client.store(data[0].decode(), "+FLAGS", "(\\Deleted)")
    client.expunge()
    client.append("INBOX", None, None, message("from the server"))
    client.append("Projects", "(\\Seen)", None, message("second plan"))
    client.logout()
    sync.run()
    inbox = sync.files("INBOX")
    assert set(inbox) == {"third", "written locally", "from the server"}
    assert "R" in inbox["third"][0] and "F" not in inbox["third"][0]
    assert set(sync.files("Projects")) == {"project plan", "second plan"}
    assert "S" in sync.files("Projects")["second plan"][0]

    # 4. Nothing changed: a further run changes nothing on either side.
    before_local = {k: v[0] for k, v in sync.files("INBOX").items()}
    before_server = server_state(server, "INBOX")
    sync.run()
    assert {k: v[0] for k, v in sync.files("INBOX").items()} == before_local
    assert server_state(server, "INBOX") == before_server


def test_mbsync_pipelines_a_larger_mailbox(server, tmp_path):
    client = connect(server)
    for i in range(150):
        flags = "(\\Seen)" if i % 3 == 0 else None
        client.append("INBOX", flags, None, message(f"bulk {i:03d}", body=f"line {i}\r\n" * (1 + i % 40)))
    client.logout()
    sync = Mbsync(server, tmp_path / "bulk", tls=False)
    sync.run()
    inbox = sync.files("INBOX")
    assert len(inbox) == 150
    assert sum("S" in flags for flags, _ in inbox.values()) == 50
    # Flag every message locally and trash a tenth; one run pushes it all.
    for subject, (flags, path) in inbox.items():
        number = int(subject.split()[1])
        set_flags(path, set(flags) | {"F"} | ({"T"} if number % 10 == 0 else set()))
    sync.run()
    state = server_state(server, "INBOX")
    assert len(state) == 135
    assert all("\\Flagged" in flags for flags in state.values())
    assert sum("\\Seen" in flags for flags in state.values()) == 45
