"""The IMAP search index ([search] index, docs/search-index.md) only prefilters: SEARCH BODY and TEXT answer
exactly the same with the index on (built, partly built, deleted) as with it off, for substrings inside words,
non-ASCII case folding, quoted-printable and base64 bodies, messages appended or delivered right before the
SEARCH, and after EXPUNGE."""
import base64
import smtplib
import sqlite3
import time

from test_imap import connect


def message(subject, body, headers=b"Content-Type: text/plain; charset=utf-8\r\n"):
    return (b"From: Sender <sender@example.org>\r\nTo: alice@example.org\r\nSubject: " + subject.encode() +
            b"\r\nMessage-ID: <" + subject.encode().replace(b" ", b".") + b"@example.org>\r\nMIME-Version: 1.0\r\n" +
            headers + b"\r\n" + body)


B64 = base64.encodebytes("Die Quartalszahlen für das ÄRGERLICHE Jahr: quarterly\r\n".encode()).replace(b"\n", b"\r\n")
MULTIPART = (b"--b1\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n"
             b"\r\nCaf=E9 cr=E8me br=FBl=E9e, Quarterly\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
             b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(b"hidden attachment words quarterly") +
             b"--b1--\r\n")
MESSAGES = [
    message("plain one", b"The quarterly report is attached.\r\n"),
    message("plain two", b"Nothing to see; unquarterlyish words only.\r\n"),
    message("folding", "ΣΟΦΙΑ and ÉTÉ and МОСКВА and Ärger\r\n".encode()),
    message("qp", b"caf=C3=A9 au lait, QUARTERLY=\r\n numbers\r\n",
            b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"),
    message("b64", B64, b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"),
    message("multi", MULTIPART, b'Content-Type: multipart/mixed; boundary="b1"\r\n'),
    message("headerword zebra", b"body without the animal\r\n"),
    message("quote", b'He said "quoted words" twice\r\n'),
    message("latin1 raw", b"8bit caf\xe9 without charset, invalid \xff\xfe utf-8 quarterly\r\n",
            b"Content-Type: text/plain\r\n"),
]
NEEDLES = ["quarterly", "QUARTERLY", "arterl", "unquarterlyish", "report", "σοφία", "ΣΟΦ", "été", "ÉTÉ", "москва",
           "ärger", "ÄRGER", "café", "CAFÉ", "crème", "quartalszahlen", "für", "hidden attachment", "zebra",
           "headerword", "sender@example", '"quoted words"', "quoted", "ab", "q", "no such text", "lait, quarterly",
           "quarterlynumbers", "caf\u00e9 without"]


def search(client, criteria):
    typ, data = client.uid("SEARCH", "CHARSET", "UTF-8", *criteria)
    assert typ == "OK", data
    return sorted(int(x) for x in data[0].split())


def quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def all_answers(client):
    answers = {}
    for needle in NEEDLES:
        # imaplib sends str arguments as ASCII; non-ASCII needles go as literals.
        arg = needle if needle.isascii() else None
        for key in ("BODY", "TEXT"):
            if arg is not None:
                answers[(key, needle)] = search(client, [key, quoted(arg)])
            else:
                client.literal = needle.encode()
                answers[(key, needle)] = search(client, [key])
    answers["or"] = search(client, ["OR", "BODY", "quarterly", "TEXT", "zebra"])
    answers["not"] = search(client, ["NOT", "BODY", "quarterly"])
    answers["and"] = search(client, ["BODY", "quarterly", "SUBJECT", "plain"])
    return answers


def loaded(make_server, index):
    server = make_server({"search": {"index": index}})
    server.add_user("alice@example.org")
    server.start()
    client = connect(server)
    for raw in MESSAGES:
        assert client.append("INBOX", None, None, raw)[0] == "OK"
    client.select("INBOX")
    return server, client


def index_docs(server):
    files = list(server.data_dir.glob("accounts/*/search.db"))
    if not files:
        return None
    with sqlite3.connect(f"file:{files[0]}?mode=ro", uri=True) as db:
        return db.execute("SELECT count(*) FROM doc").fetchone()[0]


def test_index_on_and_off_answer_the_same(make_server):
    off, off_client = loaded(make_server, False)
    on, on_client = loaded(make_server, True)
    expected = all_answers(off_client)
    assert expected[("BODY", "quarterly")] == [1, 2, 4, 5, 6, 9]  # the attachment's word is not text
    assert expected[("BODY", "ΣΟΦ")] == [3] and expected[("BODY", "zebra")] == [] and expected[("TEXT", "zebra")] == [7]
    # Not indexed yet (or only partly, by the background indexer): the same answers.
    assert all_answers(on_client) == expected
    # Built: every message in the index, the same answers.
    assert "1 account(s) up to date" in on.cli("search-index", "build").stdout
    assert index_docs(on) == len(MESSAGES)
    assert all_answers(on_client) == expected
    assert index_docs(off) is None  # off means off
    # The index is really used: only candidates are read (debug log of SEARCH). "hidden attachment" is in no text.
    for client in (off_client, on_client):
        assert search(client, ["BODY", quoted("hidden attachment")]) == []
    on.wait_for_log("SEARCH read 0 of 9 messages")
    off.wait_for_log("SEARCH read 9 of 9 messages")
    assert "SEARCH read 0 of" not in off.log()

    # A message appended right before the SEARCH (not indexed yet) is found.
    late = message("late", b"a late quarterly arrival\r\n")
    for client in (off_client, on_client):
        assert client.append("INBOX", None, None, late)[0] == "OK"
        client.noop()
    assert search(on_client, ["BODY", "quarterly"]) == search(off_client, ["BODY", "quarterly"]) == [1, 2, 4, 5, 6, 9, 10]

    # After EXPUNGE the expunged messages are gone from the answers, with or without the index.
    for client in (off_client, on_client):
        client.uid("STORE", "1,4", "+FLAGS", "(\\Deleted)")
        client.expunge()
    assert search(on_client, ["BODY", "quarterly"]) == search(off_client, ["BODY", "quarterly"]) == [2, 5, 6, 9, 10]
    on.cli("search-index", "build")
    assert all_answers(on_client) == all_answers(off_client)
    for client in (off_client, on_client):
        client.logout()


def test_delivered_message_is_found_at_once_and_deleted_index_is_rebuilt(make_server):
    server, client = loaded(make_server, True)
    server.cli("search-index", "build")
    with smtplib.SMTP("127.0.0.1", server.port("smtp")) as smtp:
        smtp.sendmail("sender@example.org", ["alice@example.org"], message("smtp", b"delivered quarterly news\r\n"))
    client.noop()
    assert search(client, ["BODY", quoted("delivered quarterly")]) == [10]
    assert search(client, ["BODY", "quarterly"]) == [1, 2, 4, 5, 6, 9, 10]

    # The index file deleted under the running server: SEARCH still answers right, and the index comes back.
    for path in server.data_dir.glob("accounts/*/search.db*"):
        path.unlink()
    assert search(client, ["BODY", "quarterly"]) == [1, 2, 4, 5, 6, 9, 10]
    deadline = time.time() + 30
    while index_docs(server) != len(MESSAGES) + 1 and time.time() < deadline:
        time.sleep(0.1)
    assert index_docs(server) == len(MESSAGES) + 1  # rebuilt by the background indexer after that SEARCH
    assert search(client, ["BODY", "quarterly"]) == [1, 2, 4, 5, 6, 9, 10]
    client.logout()
