"""[limits] max_search_text_size and max_thread_references (README "Configuration") apply: SEARCH BODY looks only
at the first max_search_text_size bytes of a message's decoded text, and THREAD=REFERENCES takes only the last
max_thread_references msg-ids of a References header."""
from test_imap import connect

# "early" in the first line of the body, "distantword" after about 4 KB of text.
LONG = (b"From: a@example.org\r\nTo: b@example.org\r\nSubject: Long\r\nMessage-ID: <long@example.org>\r\n\r\n"
        b"early line\r\n" + b"filler text line that is long enough to take room.\r\n" * 80 + b"distantword\r\n")

# B's References name A and then a message that does not exist; its nearest reference is the missing one.
THREADED = [
    ('"01-Jan-2024 10:00:00 +0000"',
     b"From: a@example.org\r\nSubject: Alpha\r\nDate: Mon, 1 Jan 2024 09:00:00 +0000\r\n"
     b"Message-ID: <a@example.org>\r\n\r\nA.\r\n"),
    ('"02-Jan-2024 10:00:00 +0000"',
     b"From: b@example.org\r\nSubject: Gamma\r\nDate: Tue, 2 Jan 2024 09:00:00 +0000\r\n"
     b"Message-ID: <c@example.org>\r\nReferences: <a@example.org> <missing@example.org>\r\n\r\nC.\r\n"),
]


def started(make_server, limits):
    server = make_server({"limits": limits} if limits else None)
    server.add_user("alice@example.org")
    return server.start()


def search_body(server, *words):
    client = connect(server)
    assert client.append("INBOX", None, None, LONG)[0] == "OK"
    client.select("INBOX")
    found = {}
    for word in words:
        typ, data = client.search(None, "BODY", word)
        assert typ == "OK"
        found[word] = data[0].split()
    client.logout()
    return found


def test_search_text_limit_applies(make_server):
    default = started(make_server, None)
    assert search_body(default, "early", "distantword") == {"early": [b"1"], "distantword": [b"1"]}
    small = started(make_server, {"max_search_text_size": 1024})
    # "early" is within the first 1024 bytes of text, "distantword" beyond them.
    assert search_body(small, "early", "distantword") == {"early": [b"1"], "distantword": []}


def thread(server):
    client = connect(server)
    for date, raw in THREADED:
        assert client.append("INBOX", None, date, raw)[0] == "OK"
    client.select("INBOX")
    typ, data = client.thread("REFERENCES", "UTF-8", "ALL")
    assert typ == "OK"
    client.logout()
    return data[0]


def test_thread_references_limit_applies(make_server):
    # All references: A is the parent of the missing message, which is the parent of B: one thread.
    assert thread(started(make_server, None)) == b"(1 2)"
    # Only the last reference: B hangs under the missing message alone, apart from A.
    assert thread(started(make_server, {"max_thread_references": 1})) == b"(1)(2)"
