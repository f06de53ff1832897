"""SORT and THREAD (RFC 5256, RFC 5267 ESORT, RFC 5957 SORT=DISPLAY) and SEARCH on decoded text (RFC 9051
6.4.4) through Python's imaplib against the real server."""
import imaplib

from test_imap import PASSWORD, connect

MESSAGES = [
    # (internal date, raw message)
    ('"01-Jan-2024 10:00:00 +0000"',
     b"From: Carol <carol@example.org>\r\nTo: zed@example.org\r\nSubject: Plans\r\n"
     b"Date: Mon, 1 Jan 2024 09:00:00 +0000\r\nMessage-ID: <p1@example.org>\r\n\r\nFirst.\r\n"),
    ('"02-Jan-2024 10:00:00 +0000"',
     b"From: =?UTF-8?Q?=C3=81lvaro?= <alvaro@example.org>\r\nTo: amy@example.org\r\n"
     b"Subject: =?UTF-8?Q?Re=3A_Plans?=\r\nDate: Tue, 2 Jan 2024 09:00:00 +0000\r\n"
     b"Message-ID: <p2@example.org>\r\nIn-Reply-To: <p1@example.org>\r\n\r\nSecond, a longer body here.\r\n"),
    ('"03-Jan-2024 10:00:00 +0000"',
     b"From: bob@example.org\r\nTo: Mia <mia@example.org>\r\nSubject: [team] Budget\r\n"
     b"Date: Sun, 31 Dec 2023 23:00:00 -0300\r\nMessage-ID: <b1@example.org>\r\n"
     b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
     b"Content-Transfer-Encoding: quoted-printable\r\n\r\nK=F6ln =DCbersicht\r\n"),
    ('"04-Jan-2024 10:00:00 +0000"',
     b"From: dave@example.org\r\nTo: amy@example.org\r\nSubject: Fwd: Plans (fwd)\r\n"
     b"Date: Thu, 4 Jan 2024 09:00:00 +0000\r\nMessage-ID: <p3@example.org>\r\n"
     b"References: <p1@example.org> <p2@example.org>\r\n"
     b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
     b"zprOsc67zrfOvM6tz4HOsQ==\r\n"),
]


def filled(server):
    client = connect(server)
    for date, raw in MESSAGES:
        assert client.append("INBOX", None, date, raw)[0] == "OK"
    client.select("INBOX")
    return client


def numbers(data):
    return [int(n) for n in data[0].split()]


def test_capabilities_advertise_sort_and_thread(server):
    client = connect(server)
    caps = client.capabilities
    for cap in ("SORT", "SORT=DISPLAY", "ESORT", "THREAD=REFERENCES", "THREAD=ORDEREDSUBJECT"):
        assert cap in caps
    client.logout()


def test_sort_keys(server):
    client = filled(server)
    assert numbers(client.sort("(ARRIVAL)", "UTF-8", "ALL")[1]) == [1, 2, 3, 4]
    assert numbers(client.sort("(REVERSE ARRIVAL)", "UTF-8", "ALL")[1]) == [4, 3, 2, 1]
    # Dates in UTC: message 3 was sent 2024-01-01 02:00 UTC, before message 1.
    assert numbers(client.sort("(DATE)", "UTF-8", "ALL")[1]) == [3, 1, 2, 4]
    # Base subjects: Budget, Plans x3 (re:, fwd: and (fwd) removed) -> 3 then 1 2 4 by message number
    assert numbers(client.sort("(SUBJECT)", "UTF-8", "ALL")[1]) == [3, 1, 2, 4]
    assert numbers(client.sort("(SUBJECT REVERSE DATE)", "UTF-8", "ALL")[1]) == [3, 4, 2, 1]
    assert numbers(client.sort("(FROM)", "UTF-8", "ALL")[1]) == [2, 3, 1, 4]
    assert numbers(client.sort("(TO)", "US-ASCII", "ALL")[1]) == [2, 4, 3, 1]
    assert numbers(client.sort("(CC SIZE)", "UTF-8", "ALL")[1])[0] == 1
    # DISPLAYFROM: "Álvaro" sorts after ASCII letters (byte order of i;ascii-casemap), bob@... has no name
    assert numbers(client.sort("(DISPLAYFROM)", "UTF-8", "ALL")[1]) == [3, 1, 4, 2]
    assert numbers(client.sort("(DISPLAYTO)", "UTF-8", "ALL")[1]) == [2, 4, 3, 1]
    # With search criteria, and as UID SORT
    assert numbers(client.sort("(DATE)", "UTF-8", "SUBJECT", "plans")[1]) == [1, 2, 4]
    typ, data = client.uid("SORT", "(REVERSE DATE)", "UTF-8", "ALL")
    assert typ == "OK"
    uids = numbers(data)
    typ, fetched = client.fetch("1:4", "(UID)")
    by_seq = {int(x.split()[0]): int(x.split()[2].rstrip(b")")) for x in fetched}
    assert uids == [by_seq[4], by_seq[2], by_seq[1], by_seq[3]]
    client.logout()


def test_sort_errors_and_esort(server):
    client = filled(server)
    typ, data = client._simple_command("SORT", "(DATE)", "ISO-8859-1", "ALL")
    assert typ == "NO" and b"[BADCHARSET" in data[-1]
    try:
        client._simple_command("SORT", "(NOSUCHKEY)", "UTF-8", "ALL")
        raise AssertionError("expected BAD")
    except imaplib.IMAP4.error as error:
        assert "BAD" in str(error) or "unknown" in str(error).lower()
    tag = client._new_tag().decode()
    client.send(f"{tag} SORT RETURN (MIN MAX COUNT ALL) (DATE) UTF-8 ALL\r\n".encode())
    lines = []
    while True:
        line = client._get_line().decode()
        lines.append(line)
        if line.startswith(tag):
            break
    assert f'* ESEARCH (TAG "{tag}") MIN 3 MAX 4 COUNT 4 ALL 3,1:2,4' in lines, lines
    assert lines[-1].startswith(f"{tag} OK")
    client.logout()


def test_thread_references_and_orderedsubject(server):
    client = filled(server)
    typ, data = client.thread("REFERENCES", "UTF-8", "ALL")
    assert typ == "OK"
    # 1 <- 2 (In-Reply-To) <- 4 (References); 3 alone and sent first
    assert data[0] == b"(3)(1 2 4)"
    typ, data = client.thread("ORDEREDSUBJECT", "UTF-8", "ALL")
    assert data[0] == b"(3)(1 (2)(4))"
    typ, data = client.thread("REFERENCES", "UTF-8", "SUBJECT", "budget")
    assert data[0] == b"(3)"
    typ, data = client.thread("REFERENCES", "UTF-8", "SUBJECT", "nothing-matches")
    assert typ == "OK" and data[0] in (None, b"")
    typ, data = client.uid("THREAD", "REFERENCES", "UTF-8", "ALL")
    assert typ == "OK" and data[0].count(b"(") == 2
    client.logout()


def test_search_decodes_text(server):
    client = filled(server)

    def search(*criteria, charset="UTF-8"):
        typ, data = client.search(charset, *criteria)
        assert typ == "OK"
        return numbers(data)

    assert search("BODY", "longer") == [2]
    client.literal = "Übersicht".encode()
    assert search("BODY") == [3]          # quoted-printable ISO-8859-1, matched as UTF-8
    client.literal = "köln".encode()
    assert search("TEXT") == [3]          # case folded beyond ASCII
    client.literal = "ΚΑΛΗΜΈΡΑ".encode()
    assert search("BODY") == [4]          # base64 UTF-8 Greek, upper-case needle
    client.literal = "álvaro".encode()
    assert search("FROM") == [2]          # RFC 2047 header
    assert search("SUBJECT", "\"re: plans\"") == [2]
    assert search("HEADER", "In-Reply-To", "p1@example") == [2]
    assert search("HEADER", "References", '""') == [4]
    assert search("OR", "FROM", "bob", "NOT", "OR", "SUBJECT", "plans", "SUBJECT", "budget") == [3]
    assert search("SENTSINCE", "1-Jan-2024", "SENTBEFORE", "4-Jan-2024") == [1, 2]
    assert search("SENTON", "31-Dec-2023") == [3]
    assert search("SINCE", "3-Jan-2024") == [3, 4]
    assert search("ON", "2-Jan-2024") == [2]
    assert search("BEFORE", "2-Jan-2024") == [1]
    assert search("LARGER", "200", "SMALLER", "100000")
    assert search("2:*", "NOT", "4") == [2, 3]
    assert search("*") == [4]
    assert search("ALL", charset="US-ASCII") == [1, 2, 3, 4]
    typ, data = client._simple_command("SEARCH", "CHARSET", "KOI8-R", "ALL")
    assert typ == "NO" and b"[BADCHARSET (UTF-8)]" in data[-1]
    client.store("1", "+FLAGS", "($Work)")
    assert search("KEYWORD", "$Work") == [1]
    assert search("UNKEYWORD", "$Work") == [2, 3, 4]
    typ, data = client.uid("SEARCH", "UID", "1:*")
    assert len(numbers(data)) == 4
    client.logout()
