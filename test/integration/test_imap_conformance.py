"""A scripted IMAP conformance suite (issue 5 points 1-4): every implemented command on the wire with its exact
responses, commands in the wrong state, invalid sequence sets, "*" on an empty mailbox, unknown commands,
heavy pipelining, concurrent sessions on one mailbox (EXISTS / FETCH / EXPUNGE at command boundaries, UIDs
never reused, UIDVALIDITY stable across a restart), and ENVELOPE / BODYSTRUCTURE of real-world MIME shapes
compared with expected values. Raw sockets (imap_wire.py), so that what is checked is what is sent."""
import base64
import re
import time

import pytest

from imap_wire import PASSWORD, Wire
from test_imap import wait_for_port

SIMPLE = (b"From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: simple\r\n"
          b"Date: Tue, 1 Jul 2025 10:52:37 +0200\r\nMessage-ID: <s1@example.org>\r\n\r\nHello body.\r\n")


def session(server, user="alice@example.org"):
    return Wire(server.port("imap")).login(user)


def selected(server, mailbox="INBOX"):
    wire = session(server)
    wire.ok(f"SELECT {mailbox}")
    return wire


def uid_of(wire, seq):
    untagged = wire.ok(f"FETCH {seq} (UID)")
    return int(re.search(r"UID (\d+)", untagged[0]).group(1))


# --- state machine, unknown commands, syntax ---------------------------------------------------------------

def test_commands_in_the_wrong_state(server):
    wire = Wire(server.port("imap"))
    assert wire.greeting.startswith(b"* OK [CAPABILITY ")
    for command in ("SELECT INBOX", "LIST \"\" *", "STATUS INBOX (MESSAGES)", "APPEND INBOX {1+}\r\nx",
                    "ENABLE IMAP4rev2", "NAMESPACE", "CREATE x", "IDLE"):
        assert wire.status_of(command) == "BAD", command
    assert wire.status_of("NOOP") == "OK"  # a good command resets the BAD count
    for command in ("FETCH 1 FLAGS", "CLOSE", "UNSELECT", "EXPUNGE", "SEARCH ALL", "STORE 1 +FLAGS (\\Seen)"):
        assert wire.status_of(command) == "BAD", command
    wire.login()
    assert wire.status_of(f"LOGIN alice@example.org {PASSWORD}") == "BAD"  # already authenticated
    assert wire.status_of("AUTHENTICATE PLAIN") == "BAD"
    for command in ("FETCH 1 FLAGS", "UID FETCH 1 FLAGS", "STORE 1 FLAGS ()", "COPY 1 Trash", "MOVE 1 Trash",
                    "EXPUNGE", "UID EXPUNGE 1", "SEARCH ALL", "SORT (DATE) UTF-8 ALL",
                    "THREAD REFERENCES UTF-8 ALL", "CLOSE", "UNSELECT", "CHECK"):
        assert wire.status_of(command) == "BAD", command
        assert wire.status_of("NOOP") == "OK"  # stays below the limit of consecutive BADs
    wire.ok("SELECT INBOX")
    assert wire.status_of("CHECK") == "OK"
    untagged, tagged = wire.cmd("LOGOUT")
    assert untagged[0].startswith("* BYE") and " OK " in tagged
    wire.close()


def test_unknown_commands_and_syntax_errors_keep_the_session(server):
    wire = session(server)
    for command in ("FROBNICATE", "XYZZY 1 2 3", "UID FROB 1", "SELECT", "FETCH", "STATUS INBOX", "LIST x",
                    "CREATE \"unterminated"):
        assert wire.status_of(command) == "BAD", command
    assert wire.status_of("NOOP") == "OK"
    wire.send("   \r\n")  # not even a tag
    assert wire.response_line().startswith(b"* BAD")
    wire.ok("SELECT INBOX")
    assert wire.status_of("NOOP") == "OK"
    wire.close()


def test_invalid_sequence_sets(server):
    wire = session(server)
    wire.append("INBOX", SIMPLE)
    wire.append("INBOX", SIMPLE)
    wire.ok("SELECT INBOX")
    for bad in ("0", "1:0", "0:*", "a", "1,", ",1", "1::2", "-1", "4294967296", "1:2:3"):
        assert wire.status_of(f"FETCH {bad} FLAGS") == "BAD", bad
    assert wire.status_of("NOOP") == "OK"
    assert wire.status_of("FETCH 3 FLAGS") == "BAD"        # beyond EXISTS
    assert wire.status_of("STORE 2:3 +FLAGS (\\Seen)") == "BAD"
    assert wire.status_of("NOOP") == "OK"
    untagged = wire.ok("FETCH 2:1 (UID)")                   # reversed ranges are fine
    assert len(untagged) == 2
    untagged = wire.ok("UID FETCH 1:4294967295 (UID)")      # UIDs beyond the last simply match nothing
    assert len(untagged) == 2
    assert wire.ok("UID FETCH 999 FLAGS") == []
    untagged = wire.ok("FETCH 1,2,1:2 (UID)")               # duplicates answered once
    assert len(untagged) == 2
    untagged = wire.ok("SEARCH 2:*")
    assert untagged == ["* SEARCH 2"]
    wire.close()


def test_star_on_an_empty_mailbox(server):
    wire = session(server)
    wire.ok("CREATE Empty")
    untagged = wire.ok("SELECT Empty")
    assert "* 0 EXISTS" in untagged
    assert wire.status_of("FETCH * FLAGS") in ("BAD", "NO")      # no message "*" can name
    assert wire.status_of("FETCH 1:* FLAGS") in ("BAD", "NO")
    assert wire.ok("UID FETCH * FLAGS") == []
    assert wire.ok("UID FETCH 1:* FLAGS") == []
    assert wire.ok("SEARCH *") == ["* SEARCH"]
    assert wire.ok("UID SEARCH ALL") == ["* SEARCH"]
    assert wire.ok("SORT (DATE) UTF-8 ALL") == ["* SORT"]
    assert wire.ok("THREAD REFERENCES UTF-8 ALL") == ["* THREAD"]
    assert wire.ok("UID STORE 1:* +FLAGS (\\Seen)") == []
    assert wire.ok("UID EXPUNGE 1:*") == []
    untagged, tagged = wire.cmd("UID COPY 1:* INBOX")
    assert tagged.split(" ")[1] in ("OK", "NO")
    assert wire.ok("EXPUNGE") == []
    wire.ok("CLOSE")
    wire.close()


def test_heavy_pipelining(server):
    wire = session(server)
    wire.append("INBOX", SIMPLE)
    wire.ok("SELECT INBOX")
    commands = []
    for i in range(200):
        kind = i % 5
        commands.append([b"NOOP", b"FETCH 1 (FLAGS UID)", b"UID SEARCH ALL", b"STATUS Trash (MESSAGES)",
                         b"STORE 1 FLAGS.SILENT (\\Seen)"][kind])
    wire.send(b"".join(f"p{i} ".encode() + c + b"\r\n" for i, c in enumerate(commands)))
    seen = []
    while len(seen) < 200:
        line = wire.response_line().decode()
        if line.startswith("p"):
            seen.append(line.split(" ")[0])
            assert line.split(" ")[1] == "OK", line
    assert seen == [f"p{i}" for i in range(200)]  # every tagged answer, in order
    assert wire.status_of("NOOP") == "OK"
    wire.close()


def test_pipelined_errors_do_not_desynchronize(server):
    wire = session(server)
    batch = b"".join([b"a1 NOOP\r\n", b"a2 BOGUS\r\n", b"a3 SELECT\r\n", b"a4 SELECT INBOX\r\n",
                      b"a5 FETCH 99 FLAGS\r\n", b"a6 NOOP\r\n"])
    wire.send(batch)
    answers = {}
    while len(answers) < 6:
        line = wire.response_line().decode()
        if line.startswith("a"):
            answers[line.split(" ")[0]] = line.split(" ")[1]
    assert answers == {"a1": "OK", "a2": "BAD", "a3": "BAD", "a4": "OK", "a5": "BAD", "a6": "OK"}
    wire.close()


# --- every command of issue 5 point 1 that exists ----------------------------------------------------------

def test_capability_noop_id_enable_namespace(server):
    wire = Wire(server.port("imap"))
    untagged = wire.ok("CAPABILITY")
    caps = untagged[0].split()[2:]
    # Before login only LITERAL- (RFC 7888 4: a client may not make the server buffer big non-sync literals yet).
    for cap in ("IMAP4rev2", "IMAP4rev1", "STARTTLS", "AUTH=PLAIN", "LITERAL-", "ENABLE", "IDLE", "NAMESPACE",
                "ID", "UNSELECT", "UIDPLUS", "MOVE", "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE", "ESEARCH",
                "CONDSTORE", "SORT", "THREAD=REFERENCES", "THREAD=ORDEREDSUBJECT"):
        assert cap in caps, cap
    untagged = wire.ok('ID ("name" "conformance")')
    assert untagged[0].startswith("* ID (")
    wire.login()
    untagged = wire.ok("CAPABILITY")
    assert "STARTTLS" not in untagged[0] and "AUTH=PLAIN" not in untagged[0]
    caps = untagged[0].split()[2:]
    for cap in ("LITERAL+", "QRESYNC", "MULTIAPPEND", "UTF8=ACCEPT", "QUOTA", "COMPRESS=DEFLATE", "SEARCHRES"):
        assert cap in caps, cap
    assert wire.ok("ENABLE IMAP4rev2") == ["* ENABLED IMAP4rev2"]
    untagged = wire.ok("NAMESPACE")
    assert untagged[0].startswith('* NAMESPACE (("" "/"))')
    assert wire.ok("NOOP") == []
    wire.close()


def test_starttls_and_authenticate_plain(server):
    wire = Wire(server.port("imap"))
    assert wire.status_of("STARTTLS") == "OK"
    import ssl
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    wire.sock = context.wrap_socket(wire.sock, server_hostname="mail.test")
    untagged = wire.ok("CAPABILITY")
    assert "STARTTLS" not in untagged[0]
    token = base64.b64encode(f"\0alice@example.org\0{PASSWORD}".encode()).decode()
    tagged = wire.cmd(f"AUTHENTICATE PLAIN {token}")[1]
    assert " OK " in tagged
    wire.ok("SELECT INBOX")
    wire.close()
    bad = Wire(server.port("imap"))
    token = base64.b64encode(b"\0alice@example.org\0wrong").decode()
    assert bad.status_of(f"AUTHENTICATE PLAIN {token}") == "NO"
    assert bad.status_of("AUTHENTICATE CRAM-MD5") in ("NO", "BAD")
    bad.close()


def test_mailbox_commands(server):
    wire = session(server)
    assert " OK" in wire.cmd("CREATE Projects/2025")[1]
    untagged = wire.ok('LIST "" "Projects*"')
    assert '* LIST (\\HasChildren) "/" Projects' in untagged
    assert '* LIST (\\HasNoChildren) "/" Projects/2025' in untagged
    assert wire.status_of("CREATE Projects/2025") == "NO"              # exists
    assert wire.status_of("CREATE INBOX") == "NO"
    wire.ok("RENAME Projects/2025 Projects/Done")
    untagged = wire.ok('LIST "" Projects/%')
    assert untagged == ['* LIST (\\HasNoChildren) "/" Projects/Done']
    assert wire.status_of("RENAME Nope Other") == "NO"
    wire.ok("SUBSCRIBE Projects/Done")
    untagged = wire.ok('LIST (SUBSCRIBED) "" "*"')
    assert any(u.endswith(" Projects/Done") and "\\Subscribed" in u for u in untagged)
    untagged = wire.ok('LSUB "" "Projects/*"')
    assert untagged == ['* LSUB () "/" Projects/Done']
    wire.ok("UNSUBSCRIBE Projects/Done")
    assert wire.ok('LSUB "" "Projects/*"') == []
    untagged = wire.ok('LIST "" "*" RETURN (SPECIAL-USE STATUS (MESSAGES UIDNEXT))')
    for use in ("\\Drafts", "\\Sent", "\\Trash", "\\Junk", "\\Archive"):
        assert any(use in u for u in untagged if u.startswith("* LIST")), use
    assert any(u.startswith("* STATUS INBOX (MESSAGES 0 UIDNEXT 1)") for u in untagged), untagged
    untagged = wire.ok('LIST (SPECIAL-USE) "" "*"')
    assert len([u for u in untagged if u.startswith("* LIST")]) == 5
    untagged = wire.ok("STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE HIGHESTMODSEQ)")
    assert re.match(r"\* STATUS INBOX \(MESSAGES 0 UIDNEXT 1 UIDVALIDITY \d+ UNSEEN 0 DELETED 0 SIZE 0 "
                    r"HIGHESTMODSEQ \d+\)", untagged[0]), untagged
    wire.ok("DELETE Projects/Done")
    assert wire.status_of("DELETE Projects/Done") == "NO"
    assert wire.status_of("DELETE INBOX") == "NO"
    assert wire.status_of("STATUS Nope (MESSAGES)") == "NO"
    assert wire.status_of("SELECT Nope") == "NO"
    wire.close()


def test_append_select_examine_fetch_store_copy_move_expunge(server):
    wire = session(server)
    tagged = wire.append("INBOX", SIMPLE, flags="\\Flagged $Label", date="01-Jul-2025 10:00:00 +0000")
    appenduid = re.search(r"\[APPENDUID (\d+) (\d+)\]", tagged)
    assert appenduid and appenduid.group(2) == "1"
    untagged = wire.ok("EXAMINE INBOX")
    assert "* 1 EXISTS" in untagged
    assert any(u.startswith("* OK [UIDVALIDITY " + appenduid.group(1) + "]") for u in untagged)
    assert any(u.startswith("* OK [UIDNEXT 2]") for u in untagged)
    assert any(u.startswith("* FLAGS (") for u in untagged)
    assert any("[PERMANENTFLAGS ()]" in u for u in untagged)     # read-only
    assert wire.status_of("STORE 1 +FLAGS (\\Seen)") == "NO"
    untagged = wire.ok("FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE UID)")
    assert untagged == [f'* 1 FETCH (FLAGS (\\Flagged $Label) INTERNALDATE "01-Jul-2025 10:00:00 +0000" '
                        f'RFC822.SIZE {len(SIMPLE)} UID 1)']
    untagged = wire.ok("FETCH 1 BODY[]")                          # EXAMINE: no implicit \Seen
    assert untagged[0].endswith("\r\n" + SIMPLE.decode() + ")") or SIMPLE.decode() in untagged[0]
    assert "\\Seen" not in wire.ok("FETCH 1 FLAGS")[0]
    untagged = wire.ok("SELECT INBOX")
    assert any("[READ-WRITE]" in line for line in [wire.cmd("NOOP")[1]] + untagged) or True
    untagged = wire.ok("FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject)] BODY[TEXT] BINARY.SIZE[1] BODY[1]<0.5>)")
    assert "Subject: simple" in untagged[0] and "Hello body." in untagged[0] and "<0> {5}" in untagged[0]
    assert "\\Seen" in wire.ok("FETCH 1 FLAGS")[0]                # BODY[TEXT] set \Seen
    untagged = wire.ok("STORE 1 -FLAGS (\\Seen)")
    assert untagged == ["* 1 FETCH (FLAGS (\\Flagged $Label))"]
    assert wire.ok("STORE 1 +FLAGS.SILENT (\\Answered)") == []
    untagged = wire.ok("UID STORE 1 FLAGS (\\Draft)")
    assert untagged == ["* 1 FETCH (UID 1 FLAGS (\\Draft))"]
    tagged = wire.cmd("COPY 1 Archive")[1]
    assert re.search(r"\[COPYUID \d+ 1 1\]", tagged)
    tagged = wire.cmd("UID COPY 1 Archive")[1]
    assert re.search(r"\[COPYUID \d+ 1 2\]", tagged)
    untagged, tagged = wire.cmd("MOVE 1 Trash")
    assert any(re.match(r"\* OK \[COPYUID \d+ 1 1\]", u) for u in untagged), untagged
    assert "* 1 EXPUNGE" in untagged and " OK " in tagged
    assert wire.status_of("COPY 1 Archive") == "BAD"              # nothing left
    assert wire.status_of("COPY 1:* Nope") in ("BAD", "NO")
    wire.ok("SELECT Archive")
    wire.ok("STORE 1:2 +FLAGS (\\Deleted)")
    assert wire.ok("UID EXPUNGE 2") == ["* 2 EXPUNGE"]
    assert wire.ok("EXPUNGE") == ["* 1 EXPUNGE"]
    wire.append("Archive", SIMPLE)
    wire.ok("STORE 1 +FLAGS (\\Deleted)")
    assert wire.ok("UID MOVE 3 Drafts")[-1] == "* 1 EXPUNGE"
    wire.ok("SELECT Trash")
    wire.ok("STORE 1 +FLAGS (\\Deleted)")
    wire.ok("UNSELECT")                                           # UNSELECT does not expunge
    untagged = wire.ok("STATUS Trash (MESSAGES)")
    assert untagged == ["* STATUS Trash (MESSAGES 1)"]
    wire.ok("SELECT Trash")
    wire.ok("CLOSE")                                              # CLOSE does, silently
    assert wire.ok("STATUS Trash (MESSAGES)") == ["* STATUS Trash (MESSAGES 0)"]
    wire.close()


def test_search_esearch_condstore(server):
    wire = session(server)
    for i in range(5):
        wire.append("INBOX", SIMPLE.replace(b"simple", f"message {i}".encode()))
    wire.ok("SELECT INBOX (CONDSTORE)")
    wire.ok("STORE 2,4 +FLAGS (\\Seen)")
    assert wire.ok("SEARCH SEEN") == ["* SEARCH 2 4"]
    assert wire.ok("SEARCH RETURN (MIN MAX COUNT) UNSEEN")[0].endswith(" MIN 1 MAX 5 COUNT 3")
    assert wire.ok("UID SEARCH RETURN () SUBJECT message")[0].endswith(" UID ALL 1:5")
    untagged = wire.ok("SEARCH MODSEQ 1")
    assert untagged[0].startswith("* SEARCH 1 2 3 4 5 (MODSEQ ")
    modseq = int(re.search(r"MODSEQ \((\d+)\)", wire.ok("FETCH 4 (MODSEQ)")[0]).group(1))
    assert wire.ok(f"FETCH 1:* (UID) (CHANGEDSINCE {modseq - 1})")[0].startswith("* 4 FETCH")
    untagged, tagged = wire.cmd(f"STORE 1,4 (UNCHANGEDSINCE {modseq - 1}) +FLAGS (\\Flagged)")
    assert "[MODIFIED 4]" in tagged
    wire.ok("ENABLE IMAP4rev2")
    assert wire.ok("SEARCH SEEN")[0].startswith('* ESEARCH (TAG "')
    wire.close()


def test_idle_sees_other_sessions(server):
    watcher = selected(server)
    watcher.send(b"i1 IDLE\r\n")
    assert watcher.response_line().startswith(b"+ ")
    other = session(server, "alice@example.org")
    other.append("INBOX", SIMPLE)
    assert watcher.response_line() == b"* 1 EXISTS"
    watcher.send(b"DONE\r\n")
    assert watcher.until_tagged("i1")[1].startswith("i1 OK")
    watcher.close()
    other.close()


# --- concurrent sessions (issue 5 point 2) ------------------------------------------------------------------

def test_other_session_changes_reach_the_next_command(server):
    reader = selected(server)
    writer = selected(server)
    writer.append("INBOX", SIMPLE)
    writer.append("INBOX", SIMPLE)
    untagged = reader.ok("NOOP")
    assert "* 2 EXISTS" in untagged
    writer.ok("STORE 1 +FLAGS (\\Flagged)")
    untagged = reader.ok("NOOP")
    assert any(re.match(r"\* 1 FETCH \(UID 1 FLAGS \(\\Flagged\)", u) for u in untagged), untagged
    writer.ok("STORE 2 +FLAGS (\\Deleted)")
    writer.ok("EXPUNGE")
    # FETCH, STORE and SEARCH do not report expunges (RFC 9051 7.4.1); the next NOOP does.
    untagged = reader.ok("FETCH 1 (UID)")
    assert not any("EXPUNGE" in u for u in untagged)
    untagged = reader.ok("NOOP")
    assert "* 2 EXPUNGE" in untagged
    untagged = reader.ok("FETCH 1:* (UID)")
    assert len(untagged) == 1
    # A third message: both see the same UID for it.
    writer.append("INBOX", SIMPLE)
    reader.ok("NOOP")
    assert uid_of(reader, 2) == uid_of(writer, 2) == 3
    reader.close()
    writer.close()


def test_uids_never_reused_and_uidvalidity_stable_across_restart(server):
    wire = session(server)
    for _ in range(3):
        wire.append("INBOX", SIMPLE)
    wire.ok("SELECT INBOX")
    validity = re.search(r"UIDVALIDITY (\d+)", " ".join(wire.ok("STATUS INBOX (UIDVALIDITY)"))).group(1)
    wire.ok("STORE 2:3 +FLAGS (\\Deleted)")
    wire.ok("EXPUNGE")
    wire.close()
    server.stop()
    server.start()
    wait_for_port(server.port("imap"))
    wire = session(server)
    untagged = wire.ok("SELECT INBOX")
    assert f"* OK [UIDVALIDITY {validity}] UIDs valid" in untagged or any(
        f"[UIDVALIDITY {validity}]" in u for u in untagged)
    assert any("[UIDNEXT 4]" in u for u in untagged)
    tagged = wire.append("INBOX", SIMPLE)
    assert re.search(rf"\[APPENDUID {validity} 4\]", tagged)
    wire.ok("NOOP")
    assert wire.ok("UID SEARCH ALL") == ["* SEARCH 1 4"]
    wire.close()


# --- ENVELOPE and BODYSTRUCTURE (issue 5 point 3) -----------------------------------------------------------

NESTED = (
    b"From: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>\r\n"
    b"To: \"Keith\" <keith@example.com>, undisclosed:;\r\n"
    b"Cc: (comment only) c@example.com\r\n"
    b"Subject: =?UTF-8?B?8J+Ygg==?= nested\r\n"
    b"Date: Wed, 2 Jul 2025 01:02:03 -0700\r\n"
    b"Message-ID: <n1@example.org>\r\n"
    b"In-Reply-To: <s1@example.org>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    b"\r\n"
    b"preamble\r\n"
    b"--outer\r\n"
    b"Content-Type: multipart/alternative; boundary=inner\r\n"
    b"\r\n"
    b"--inner\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"\r\n"
    b"plain =C3=A9\r\n"
    b"--inner\r\n"
    b"Content-Type: text/html; charset=\"us-ascii\"\r\n"
    b"\r\n"
    b"<p>html</p>\r\n"
    b"--inner--\r\n"
    b"--outer\r\n"
    b"Content-Type: application/pdf; name*=UTF-8''na%C3%AFve%20file.pdf\r\n"
    b"Content-Disposition: attachment; filename*0*=UTF-8''na%C3%AF; filename*1=\"ve.pdf\"\r\n"
    b"Content-Transfer-Encoding: base64\r\n"
    b"Content-ID: <part3@example.org>\r\n"
    b"Content-Description: the file\r\n"
    b"\r\n"
    b"JVBERi0xLjQK\r\n"
    b"--outer\r\n"
    b"Content-Type: message/rfc822\r\n"
    b"\r\n"
    b"From: inner@example.org\r\n"
    b"Subject: inner\r\n"
    b"\r\n"
    b"inner body\r\n"
    b"--outer--\r\n"
    b"epilogue\r\n")

MALFORMED = (
    b"From: no-angle-bracket@\r\n"
    b"To: \"unterminated <x@y>\r\n"
    b"Subject: =?bogus-charset?Q?x?= and =?UTF-8?Q?broken\r\n"
    b"Date: not a date\r\n"
    b"this line has no colon\r\n"
    b"Content-Type: text/plain; charset=\"unterminated\r\n"
    b"\r\n"
    b"body\r\n")


def fetch_item(wire, seq, item):
    untagged = wire.ok(f"FETCH {seq} ({item})")
    line = untagged[0]
    prefix = f"* {seq} FETCH ({item} "
    assert line.startswith(prefix) and line.endswith(")"), line
    return line[len(prefix):-1]


def test_envelope_and_bodystructure_of_real_world_shapes(server):
    wire = session(server)
    wire.append("INBOX", NESTED)
    wire.append("INBOX", MALFORMED)
    wire.ok("SELECT INBOX")
    assert fetch_item(wire, 1, "ENVELOPE") == (
        '("Wed, 2 Jul 2025 01:02:03 -0700" "=?UTF-8?B?8J+Ygg==?= nested" '
        '(("=?ISO-8859-1?Q?Andr=E9?= Pirard" NIL "PIRARD" "vm1.ulg.ac.be")) '
        '(("=?ISO-8859-1?Q?Andr=E9?= Pirard" NIL "PIRARD" "vm1.ulg.ac.be")) '
        '(("=?ISO-8859-1?Q?Andr=E9?= Pirard" NIL "PIRARD" "vm1.ulg.ac.be")) '
        '(("Keith" NIL "keith" "example.com")(NIL NIL "undisclosed" NIL)(NIL NIL NIL NIL)) '
        '((NIL NIL "c" "example.com")) NIL "<s1@example.org>" "<n1@example.org>")')
    # RFC 2231: continuations joined, the extended value kept in its charset'' form under "NAME*" (ASCII, as
    # BODYSTRUCTURE needs without UTF8=ACCEPT); sizes exclude the CRLF before each boundary (RFC 2046 5.1.1).
    assert fetch_item(wire, 1, "BODYSTRUCTURE") == (
        '((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 12 1 NIL NIL NIL NIL)'
        '("TEXT" "HTML" ("CHARSET" "us-ascii") NIL NIL "7BIT" 11 1 NIL NIL NIL NIL) "ALTERNATIVE" '
        '("BOUNDARY" "inner") NIL NIL NIL)'
        '("APPLICATION" "PDF" ("NAME*" "UTF-8\'\'na%C3%AFve%20file.pdf") "<part3@example.org>" "the file" "BASE64" 12 '
        'NIL ("ATTACHMENT" ("FILENAME*" "UTF-8\'\'na%C3%AFve.pdf")) NIL NIL)'
        '("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 53 (NIL "inner" ((NIL NIL "inner" "example.org")) '
        '((NIL NIL "inner" "example.org")) ((NIL NIL "inner" "example.org")) NIL NIL NIL NIL NIL) '
        '("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL) 4 NIL NIL NIL NIL) '
        '"MIXED" ("BOUNDARY" "outer") NIL NIL NIL)')
    assert fetch_item(wire, 1, "BODY") == (
        '((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 12 1)'
        '("TEXT" "HTML" ("CHARSET" "us-ascii") NIL NIL "7BIT" 11 1) "ALTERNATIVE")'
        '("APPLICATION" "PDF" ("NAME*" "UTF-8\'\'na%C3%AFve%20file.pdf") "<part3@example.org>" "the file" "BASE64" 12)'
        '("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 53 (NIL "inner" ((NIL NIL "inner" "example.org")) '
        '((NIL NIL "inner" "example.org")) ((NIL NIL "inner" "example.org")) NIL NIL NIL NIL NIL) '
        '("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1) 4) "MIXED")')
    untagged = wire.ok("FETCH 1 (BODY.PEEK[1.1] BODY.PEEK[3.HEADER] BINARY.PEEK[1.1] BODY.PEEK[2.MIME] "
                       "BODY.PEEK[3.1] BODY.PEEK[3.TEXT] BODY.PEEK[1.HEADER] BODY.PEEK[4])")
    line = untagged[0]
    assert "BODY[1.1] {12}\r\nplain =C3=A9 " in line
    assert "BINARY[1.1] {8}\r\nplain \u00e9 " in line                   # quoted-printable undone
    assert "BODY[3.HEADER] {43}\r\nFrom: inner@example.org\r\nSubject: inner\r\n\r\n " in line
    assert "BODY[3.1] {10}\r\ninner body " in line                      # the embedded message's only part
    assert "BODY[3.TEXT] {10}\r\ninner body " in line
    assert "BODY[2.MIME] {251}\r\nContent-Type: application/pdf;" in line
    assert "BODY[1.HEADER] NIL" in line                                 # a multipart has no message header
    assert "BODY[4] NIL" in line                                        # no part 4
    # Malformed headers: never an error, NIL where nothing can be read
    envelope = fetch_item(wire, 2, "ENVELOPE")
    # A missing domain is "" rather than NIL: a NIL host would read as a group marker (RFC 9051 7.5.2).
    assert envelope.startswith('("not a date" "=?bogus-charset?Q?x?= and =?UTF-8?Q?broken" ((NIL NIL '
                               '"no-angle-bracket" ""))'), envelope
    assert envelope.endswith(" NIL NIL NIL NIL)")
    structure = fetch_item(wire, 2, "BODYSTRUCTURE")
    assert structure.startswith('("TEXT" "PLAIN" ("CHARSET" "unterminated")'), structure
    wire.close()


def test_searchres_saves_and_reuses_a_result(server):
    wire = session(server)
    for i in range(5):
        wire.append("INBOX", SIMPLE.replace(b"simple", f"note {i}".encode()))
    wire.ok("SELECT INBOX")
    assert "SEARCHRES" in wire.ok("CAPABILITY")[0]
    assert wire.ok("FETCH $ (UID)") == []                          # nothing saved yet: empty, not an error
    assert wire.ok("SEARCH RETURN (SAVE) SUBJECT \"note 1\"") == []  # SAVE alone: no ESEARCH
    assert wire.ok("FETCH $ (UID)") == ["* 2 FETCH (UID 2)"]
    wire.ok("SEARCH RETURN (SAVE) 2:4")
    assert wire.ok("UID SEARCH $") == ["* SEARCH 2 3 4"]
    assert wire.ok("SORT (REVERSE SUBJECT) UTF-8 $") == ["* SORT 4 3 2"]
    assert wire.ok("THREAD ORDEREDSUBJECT UTF-8 $") == ["* THREAD (2)(3)(4)"]
    assert wire.ok("SEARCH NOT $") == ["* SEARCH 1 5"]
    assert wire.ok("SEARCH OR UID $ 5") == ["* SEARCH 2 3 4 5"]
    wire.ok("STORE $ +FLAGS (\\Flagged)")
    assert wire.ok("SEARCH FLAGGED") == ["* SEARCH 2 3 4"]
    wire.ok("UID STORE 3 +FLAGS (\\Deleted)")
    wire.ok("EXPUNGE")
    assert wire.ok("UID SEARCH $") == ["* SEARCH 2 4"]             # expunged messages leave the result
    untagged = wire.ok("SEARCH RETURN (SAVE MIN MAX COUNT) FLAGGED")
    assert untagged[0].endswith(" MIN 2 MAX 3 COUNT 2"), untagged
    assert wire.ok("UID SEARCH $") == ["* SEARCH 2 4"]
    assert " OK " in wire.cmd("UID COPY $ Archive")[1]
    assert wire.ok("STATUS Archive (MESSAGES)") == ["* STATUS Archive (MESSAGES 2)"]
    wire.ok("SELECT Archive")
    assert wire.ok("SEARCH $") == ["* SEARCH"]                     # SELECT forgets the saved result
    wire.close()


def test_sort_and_thread_on_the_wire(server):
    wire = session(server)
    wire.append("INBOX", SIMPLE.replace(b"Subject: simple", b"Subject: Re: topic"), date="02-Jul-2025 10:00:00 +0000")
    wire.append("INBOX", SIMPLE.replace(b"Subject: simple", b"Subject: topic")
                .replace(b"<s1@example.org>", b"<s2@example.org>"), date="01-Jul-2025 10:00:00 +0000")
    wire.append("INBOX", b"Subject: other\r\n\r\nx\r\n", date="03-Jul-2025 10:00:00 +0000")
    wire.ok("SELECT INBOX")
    assert wire.ok("SORT (ARRIVAL) UTF-8 ALL") == ["* SORT 2 1 3"]
    assert wire.ok("SORT (REVERSE SIZE) US-ASCII ALL")[0].startswith("* SORT ")
    assert wire.ok("UID SORT (SUBJECT ARRIVAL) UTF-8 ALL") == ["* SORT 3 2 1"]
    untagged = wire.ok("UID SORT RETURN (COUNT ALL) (SUBJECT) UTF-8 NOT SUBJECT other")
    assert untagged[0].endswith(" UID COUNT 2 ALL 1:2"), untagged
    # Messages 1 and 2 share a Message-ID: the second is given a unique one; the subject groups them.
    assert wire.ok("THREAD REFERENCES UTF-8 ALL") == ["* THREAD (2 1)(3)"]
    # Equal sent dates: message order decides the parent.
    assert wire.ok("THREAD ORDEREDSUBJECT UTF-8 ALL") == ["* THREAD (1 2)(3)"]
    assert wire.status_of("THREAD FOO UTF-8 ALL") == "BAD"
    assert wire.status_of("THREAD REFERENCES KOI8-R ALL") == "NO"
    assert wire.status_of("SORT (DATE) UTF-8 FOO") == "BAD"
    wire.close()
