"""IMAP front-end (RFC 9051 / RFC 3501) as real clients see it: Python's imaplib over STARTTLS and IMAPS, and
curl's imap:// and imaps:// URLs."""
import imaplib
import shutil
import socket
import ssl
import subprocess
import threading
import time

import pytest

from imapx_support import Raw  # the one line-level IMAP client of the integration tests

PASSWORD = "secret-password"
MESSAGE = (b"From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r\nSubject: Hello there\r\n"
           b"Date: Tue, 1 Jul 2025 10:52:37 +0200\r\nMessage-ID: <m1@example.org>\r\n\r\n"
           b"First line of the body.\r\nSecond line with a needle.\r\n")


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def wait_for_port(port, timeout=20):
    deadline = time.time() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def connect(server, user="alice@example.org", starttls=True):
    client = imaplib.IMAP4("127.0.0.1", server.port("imap"))
    if starttls:
        client.starttls(ssl_context=tls_context())
    if user:
        client.login(user, PASSWORD)
    return client


def test_greeting_capability_and_logout(server):
    raw = Raw(server.port("imap"))
    assert raw.greeting.startswith("* OK [CAPABILITY IMAP4rev2 IMAP4rev1")
    assert "STARTTLS" in raw.greeting and "AUTH=PLAIN" in raw.greeting
    lines = raw.command("a1", "CAPABILITY")
    assert lines[0].startswith("* CAPABILITY IMAP4rev2 IMAP4rev1") and lines[-1].startswith("a1 OK")
    assert raw.command("a2", "NOOP")[-1].startswith("a2 OK")
    lines = raw.command("a3", "LOGOUT")
    assert lines[0].startswith("* BYE") and lines[-1].startswith("a3 OK")
    raw.close()


def test_login_over_starttls_and_imaps(server):
    client = connect(server)
    assert client.state == "AUTH"
    client.logout()
    secure = imaplib.IMAP4_SSL("127.0.0.1", server.port("imaps"), ssl_context=tls_context())
    secure.login("bob@example.org", PASSWORD)
    typ, data = secure.select("INBOX")
    assert typ == "OK" and data == [b"0"]
    secure.logout()


def test_starttls_drops_commands_pipelined_in_the_clear(server):
    raw = Raw(server.port("imap"))
    raw.send("a STARTTLS\r\nb LOGIN alice@example.org secret-password\r\n")
    assert raw.line().startswith("a OK")
    tls = tls_context().wrap_socket(raw.sock, server_hostname="mail.test")
    tls.sendall(b"c CAPABILITY\r\n")
    answer = b""
    while b"c OK" not in answer:
        chunk = tls.recv(65536)
        assert chunk, answer
        answer += chunk
    assert b"b OK" not in answer and b"b NO" not in answer and b"STARTTLS" not in answer.split(b"\r\n")[0]
    tls.close()
    assert "dropped" in server.log() and "bytes sent before the TLS handshake" in server.log()


def test_plaintext_login_refused_without_tls(make_server):
    srv = make_server({"": {"allow_plaintext_auth_on_loopback": False}})
    srv.add_user("alice@example.org")
    srv.start()
    raw = Raw(srv.port("imap"))
    assert "LOGINDISABLED" in raw.greeting and "AUTH=PLAIN" not in raw.greeting
    lines = raw.command("a1", f"LOGIN alice@example.org {PASSWORD}")
    assert lines[-1].startswith("a1 NO [PRIVACYREQUIRED]")
    lines = raw.command("a2", "AUTHENTICATE PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHNlY3JldC1wYXNzd29yZA==")
    assert lines[-1].startswith("a2 NO [PRIVACYREQUIRED]")
    raw.close()
    client = connect(srv)  # STARTTLS first: then it works
    client.logout()


def test_authenticate_plain_with_and_without_initial_response(server):
    raw = Raw(server.port("imap"))
    lines = raw.command("a1", "AUTHENTICATE PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHNlY3JldC1wYXNzd29yZA==")
    assert lines[-1].startswith("a1 OK [CAPABILITY")
    raw.close()
    raw = Raw(server.port("imap"))
    raw.send("a1 AUTHENTICATE PLAIN\r\n")
    assert raw.line().startswith("+")
    raw.send("AGJvYkBleGFtcGxlLm9yZwB3cm9uZw==\r\n")
    assert raw.until_tagged("a1")[-1].startswith("a1 NO [AUTHENTICATIONFAILED]")
    raw.close()
    assert "AUTHENTICATE PLAIN failed for bob@example.org" in server.log()


def test_login_throttling_bans_after_repeated_failures(make_server):
    srv = make_server({"auth": {"max_failures_per_account": 3, "max_failures_per_ip": 100}})
    srv.add_user("alice@example.org")
    srv.start()
    raw = Raw(srv.port("imap"))
    for i in range(3):
        assert raw.command(f"f{i}", "LOGIN alice@example.org wrong")[-1].startswith(f"f{i} NO [AUTHENTICATIONFAILED]")
    assert raw.command("x", f"LOGIN alice@example.org {PASSWORD}")[-1].startswith("x NO [UNAVAILABLE]")
    raw.close()
    assert srv.log().count("LOGIN failed for alice@example.org") == 3


def test_list_shows_special_use_mailboxes(server):
    client = connect(server)
    typ, data = client.list()
    assert typ == "OK"
    lines = [line.decode() for line in data]
    for name, attribute in [("Drafts", "\\Drafts"), ("Sent", "\\Sent"), ("Trash", "\\Trash"), ("Junk", "\\Junk"),
                            ("Archive", "\\Archive")]:
        assert any(attribute in line and line.endswith(name) for line in lines), lines
    assert any(line.endswith("INBOX") and "\\HasNoChildren" in line for line in lines)
    assert len(lines) == 6
    client.create("Projects/2025")
    typ, data = client.list('""', "%")
    lines = [line.decode() for line in data]
    assert any("\\HasChildren" in line and line.endswith("Projects") for line in lines), lines
    typ, data = client.list("Projects/", "*")
    assert [line.decode() for line in data] == ['(\\HasNoChildren) "/" Projects/2025']
    typ, data = client._simple_command("LIST", '""', "*", "RETURN", "(SUBSCRIBED STATUS (MESSAGES UIDNEXT))")
    typ, data = client._untagged_response(typ, data, "STATUS")
    assert any(b"INBOX (MESSAGES 0 UIDNEXT 1)" in line for line in data), data
    client.logout()


def test_append_then_fetch_round_trip_byte_exact(server):
    client = connect(server)
    typ, data = client.append("INBOX", "(\\Flagged)", imaplib.Time2Internaldate(time.time()), MESSAGE)
    assert typ == "OK" and b"APPENDUID" in data[0]
    typ, data = client.select("INBOX")
    assert data == [b"1"]
    typ, data = client.fetch("1", "(RFC822.SIZE FLAGS BODY.PEEK[])")
    assert data[0][1] == MESSAGE
    assert f"RFC822.SIZE {len(MESSAGE)}".encode() in data[0][0]
    assert b"\\Seen" not in data[0][0] and b"\\Flagged" in data[0][0]
    typ, data = client.fetch("1", "(ENVELOPE BODYSTRUCTURE BODY[HEADER.FIELDS (SUBJECT)] BODY[TEXT]<6.4>)")
    head = data[0][0]
    assert b'"Hello there"' in head and b'"<m1@example.org>"' in head
    assert b'BODYSTRUCTURE ("TEXT" "PLAIN"' in head
    assert data[0][1] == b"Subject: Hello there\r\n\r\n"
    assert data[1][1] == b"line"
    typ, data = client.fetch("1", "FLAGS")
    assert b"\\Seen" in data[0]  # the non-PEEK BODY[TEXT] set it
    typ, data = client.uid("FETCH", "1:*", "(UID RFC822.HEADER)")
    assert data[0][0].startswith(b"1 (UID 1 RFC822.HEADER")
    client.logout()


def test_search_store_copy_move_expunge(server):
    client = connect(server)
    for i in range(3):
        client.append("INBOX", None, None, MESSAGE.replace(b"Hello there", f"Subject {i}".encode()))
    client.select("INBOX")
    assert client.search(None, "ALL")[1] == [b"1 2 3"]
    assert client.search(None, "SUBJECT", '"subject 1"')[1] == [b"2"]
    assert client.search(None, "BODY", "needle", "NOT", "2")[1] == [b"1 3"]
    assert client.search(None, "OR", "1", "3", "LARGER", "10")[1] == [b"1 3"]
    assert client.search(None, "SINCE", "1-Jan-2000", "SENTON", "1-Jul-2025")[1] == [b"1 2 3"]
    typ, data = client.store("2", "+FLAGS", "(\\Deleted $Work)")
    assert typ == "OK" and b"\\Deleted" in data[0] and b"$Work" in data[0]
    assert client.search(None, "DELETED")[1] == [b"2"]
    assert client.search(None, "KEYWORD", "$Work", "UNSEEN")[1] == [b"2"]
    assert client.uid("SEARCH", "UID", "2:3")[1] == [b"2 3"]
    typ, data = client.copy("1", "Archive")
    assert typ == "OK" and b"COPYUID" in data[0]
    typ, data = client.uid("MOVE", "3", "Trash")
    assert typ == "OK" and client.untagged_responses.pop("EXPUNGE") == [b"3"]
    typ, data = client.expunge()
    assert typ == "OK" and data == [b"2"]
    assert client.search(None, "ALL")[1] == [b"1"]
    assert client.status("Archive", "(MESSAGES)")[1] == [b'Archive (MESSAGES 1)']
    assert client.status("Trash", "(MESSAGES UIDNEXT)")[1] == [b'Trash (MESSAGES 1 UIDNEXT 2)']
    client.logout()


def test_esearch_with_imap4rev2(server):
    raw = Raw(server.port("imap"))
    raw.command("l", f"LOGIN alice@example.org {PASSWORD}")
    assert raw.command("e", "ENABLE IMAP4rev2")[0] == "* ENABLED IMAP4rev2"
    raw.send("a APPEND INBOX {5+}\r\nhello\r\n")
    assert raw.until_tagged("a")[-1].startswith("a OK [APPENDUID")
    raw.command("s", "SELECT INBOX")
    lines = raw.command("q", "SEARCH RETURN (MIN MAX COUNT) ALL")
    assert lines[0] == '* ESEARCH (TAG "q") MIN 1 MAX 1 COUNT 1'
    lines = raw.command("u", "UID SEARCH ALL")
    assert lines[0] == '* ESEARCH (TAG "u") UID ALL 1'
    raw.close()


def test_concurrent_session_sees_new_mail_in_noop_and_idle(server):
    watcher = connect(server)
    watcher.select("INBOX")
    other = connect(server)
    other.append("INBOX", None, None, MESSAGE)
    watcher.untagged_responses.clear()
    typ, data = watcher.noop()
    assert watcher.untagged_responses.get("EXISTS") == [b"1"]
    watcher.logout()

    raw = Raw(server.port("imap"))
    raw.command("l", f"LOGIN alice@example.org {PASSWORD}")
    raw.command("s", "SELECT INBOX")
    raw.send("i IDLE\r\n")
    assert raw.line().startswith("+")
    other.append("INBOX", None, None, MESSAGE)
    assert raw.line() == "* 2 EXISTS"
    other.select("INBOX")
    other.store("1", "+FLAGS", "(\\Flagged)")
    assert raw.line() == "* 1 FETCH (UID 1 FLAGS (\\Flagged))"
    other.store("1", "+FLAGS", "(\\Deleted)")
    other.expunge()
    line = raw.line()  # the \Deleted flag may or may not be seen before the expunge
    if line != "* 1 EXPUNGE":
        assert line == "* 1 FETCH (UID 1 FLAGS (\\Flagged \\Deleted))"
        assert raw.line() == "* 1 EXPUNGE"
    raw.send("DONE\r\n")
    assert raw.until_tagged("i")[-1].startswith("i OK")
    raw.close()
    other.logout()


def test_uidvalidity_and_uidnext_survive_a_restart(server):
    client = connect(server)
    client.append("INBOX", None, None, MESSAGE)
    client.append("INBOX", None, None, MESSAGE)
    client.select("INBOX")
    client.store("2", "+FLAGS", "(\\Deleted)")
    client.expunge()
    before = client.status("INBOX", "(UIDVALIDITY UIDNEXT)")[1]
    client.logout()
    server.stop()
    server.start()
    wait_for_port(server.port("imap"))
    client = connect(server)
    assert client.status("INBOX", "(UIDVALIDITY UIDNEXT)")[1] == before
    typ, data = client.append("INBOX", None, None, MESSAGE)
    assert b" 3] " in data[0]  # UIDs are never reused
    client.logout()


def test_bad_commands_get_bad_and_the_session_goes_on(server):
    raw = Raw(server.port("imap"))
    assert raw.command("a1", "FROBNICATE")[-1].startswith("a1 BAD")
    assert raw.command("a2", "SELECT INBOX")[-1].startswith("a2 BAD")  # not authenticated
    assert raw.command("a3", "LOGIN")[-1].startswith("a3 BAD")
    raw.send("\r\n")
    assert raw.line().startswith("* BAD")
    raw.command("a4", f"LOGIN alice@example.org {PASSWORD}")
    assert raw.command("a5", "FETCH 1 FLAGS")[-1].startswith("a5 BAD")  # nothing selected
    raw.command("a6", "SELECT INBOX")
    assert raw.command("a7", "FETCH 5 FLAGS")[-1].startswith("a7 BAD")
    assert raw.command("a8", "NOOP")[-1].startswith("a8 OK")
    raw.close()


def test_too_many_bad_commands_end_the_session(server):
    raw = Raw(server.port("imap"))
    for i in range(11):
        raw.send(f"b{i} BOGUS\r\n")
    lines = []
    try:
        while True:
            lines.append(raw.line())
    except (EOFError, ConnectionResetError):
        pass
    assert lines[-1] == "* BYE Too many invalid commands"
    raw.close()


def test_literal_limits(make_server):
    srv = make_server({"limits": {"max_message_size": "1K"}})
    srv.add_user("alice@example.org")
    srv.start()
    raw = Raw(srv.port("imap"))
    assert raw.command("p", "LOGIN {100000}")[-1].startswith("p NO [TOOBIG]")
    raw.command("l", f"LOGIN alice@example.org {PASSWORD}")
    assert raw.command("a", "APPEND INBOX {5000}")[-1].startswith("a NO [TOOBIG]")
    assert raw.command("n", "NOOP")[-1].startswith("n OK")
    raw.close()


def test_disconnect_mid_literal_leaves_no_message(server):
    raw = Raw(server.port("imap"))
    raw.command("l", f"LOGIN alice@example.org {PASSWORD}")
    raw.send("a APPEND INBOX {1000}\r\n")
    assert raw.line().startswith("+")
    raw.send("x" * 500)
    raw.close()
    time.sleep(0.3)
    client = connect(server)
    assert client.status("INBOX", "(MESSAGES UIDNEXT)")[1] == [b"INBOX (MESSAGES 0 UIDNEXT 1)"]
    client.logout()


def test_idle_timeout_and_shutdown_say_bye(make_server):
    srv = make_server({"limits": {"idle_timeout": "1s"}})
    srv.add_user("alice@example.org")
    srv.start()
    raw = Raw(srv.port("imap"))
    assert raw.line() == "* BYE Autologout; idle for too long"
    raw.close()
    raw = Raw(srv.port("imap"))
    raw.command("l", f"LOGIN alice@example.org {PASSWORD}")
    srv.proc.send_signal(15)
    assert raw.line() == "* BYE Server shutting down"
    raw.close()


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_lists_and_fetches(server):
    client = connect(server)
    client.append("INBOX", None, None, MESSAGE)
    client.logout()
    port = server.port("imap")
    base = ["curl", "-sS", "--max-time", "20", "-u", f"alice@example.org:{PASSWORD}"]
    listing = subprocess.run(base + [f"imap://127.0.0.1:{port}/"], capture_output=True, text=True, timeout=30)
    assert listing.returncode == 0, listing.stderr
    assert "Archive" in listing.stdout and "INBOX" in listing.stdout
    fetched = subprocess.run(base + ["--ssl-reqd", "-k", f"imap://127.0.0.1:{port}/INBOX;UID=1"],
                             capture_output=True, timeout=30)
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout == MESSAGE
    secure = subprocess.run(base + ["-k", f"imaps://127.0.0.1:{server.port('imaps')}/INBOX;UID=1;SECTION=TEXT"],
                            capture_output=True, timeout=30)
    assert secure.returncode == 0, secure.stderr
    assert secure.stdout == MESSAGE.split(b"\r\n\r\n", 1)[1]


def test_mailbox_management_and_modified_utf7_names(server):
    raw = Raw(server.port("imap"))
    raw.command("l", f"LOGIN alice@example.org {PASSWORD}")
    assert raw.command("c1", 'CREATE "Entw&APw-rfe"')[-1].startswith("c1 OK")
    assert raw.command("c2", "CREATE Spam (USE (\\Junk))")[-1].startswith("c2 OK")
    assert raw.command("c3", "CREATE INBOX")[-1].startswith("c3 NO [ALREADYEXISTS]")
    lines = raw.command("l1", 'LIST "" Entw*')
    assert lines[0] == '* LIST (\\HasNoChildren) "/" Entw&APw-rfe'
    assert raw.command("r", 'RENAME "Entw&APw-rfe" Old/Drafts')[-1].startswith("r OK")
    lines = raw.command("l2", 'LIST "" Old/%')
    assert lines[0] == '* LIST (\\HasNoChildren) "/" Old/Drafts'
    assert raw.command("u", "UNSUBSCRIBE Old/Drafts")[-1].startswith("u OK")
    lines = raw.command("l3", 'LSUB "" Old/*')
    assert lines == ["l3 OK LSUB completed"]
    lines = raw.command("l4", 'LIST (SPECIAL-USE) "" *')
    assert '* LIST (\\HasNoChildren \\Junk) "/" Spam' in lines and len(lines) == 7
    assert raw.command("d", "DELETE Old/Drafts")[-1].startswith("d OK")
    assert raw.command("d2", "DELETE Nothing")[-1].startswith("d2 NO [NONEXISTENT]")
    assert raw.command("s", "SELECT Nothing")[-1].startswith("s NO [NONEXISTENT]")
    assert raw.command("a", "APPEND Nothing {1+}\r\nx")[-1].startswith("a NO [TRYCREATE]")
    raw.command("a2", "APPEND INBOX (\\Deleted) {3+}\r\nabc")
    lines = raw.command("e", "EXAMINE INBOX")
    assert lines[-1].startswith("e OK [READ-ONLY]") and "* OK [PERMANENTFLAGS ()] Read-only mailbox" in lines
    assert raw.command("st", "STORE 1 +FLAGS (\\Seen)")[-1].startswith("st NO")
    raw.command("cl", "CLOSE")  # read-only: nothing expunged
    raw.command("s2", "SELECT INBOX")
    lines = raw.command("ue", "UID EXPUNGE 1")
    assert lines == ["* 1 EXPUNGE", "ue OK EXPUNGE completed"]
    assert raw.command("un", "UNSELECT")[-1].startswith("un OK")
    assert raw.command("n", "NAMESPACE")[0] == '* NAMESPACE (("" "/")) NIL NIL'
    raw.close()


def test_idle_over_imaps_survives_its_polling(server):
    raw = Raw(server.port("imaps"), tls=True)
    raw.command("l", f"LOGIN alice@example.org {PASSWORD}")
    raw.command("s", "SELECT INBOX")
    raw.send("i IDLE\r\n")
    assert raw.line().startswith("+")
    time.sleep(2.5)  # a few poll intervals pass inside TLS reads
    other = connect(server)
    other.append("INBOX", None, None, MESSAGE)
    assert raw.line() == "* 1 EXISTS"
    raw.send("DONE\r\n")
    assert raw.until_tagged("i")[-1] == "i OK IDLE terminated"
    lines = raw.command("f", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    assert lines[0] == "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {24}"
    other.logout()
    raw.close()
