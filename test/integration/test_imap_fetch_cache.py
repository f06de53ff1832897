"""[limits] imap_fetch_cache_size: ENVELOPE, BODY and BODYSTRUCTURE come out the same whether they were rendered
for this FETCH (size 0, nothing kept) or kept from an earlier one (the default), for several message shapes."""
from test_imap import connect

MESSAGES = [
    b"From: =?UTF-8?Q?=C3=81lvaro?= <alvaro@example.org>\r\nTo: a@example.org, \"B, b\" <b@example.org>\r\n"
    b"Subject: =?UTF-8?B?SGVsbG8=?=\r\nDate: Mon, 1 Jan 2024 09:00:00 +0000\r\nMessage-ID: <m1@example.org>\r\n"
    b"In-Reply-To: <m0@example.org>\r\n\r\nPlain \"quoted\" body.\r\n",
    b"From: c@example.org\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"text\r\n--XX\r\nContent-Type: application/pdf; name=\"a b.pdf\"\r\nContent-Disposition: attachment; "
    b"filename=\"a b.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--XX--\r\n",
    b"From: d@example.org\r\nSubject: fwd\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n"
    b"From: e@example.org\r\nSubject: inner\r\n\r\ninner body\r\n",
]


def fetch_twice(make_server, limits):
    server = make_server({"limits": limits} if limits else None)
    server.add_user("alice@example.org")
    server.start()
    client = connect(server)
    for raw in MESSAGES:
        assert client.append("INBOX", None, None, raw)[0] == "OK"
    client.select("INBOX")
    results = []
    for _ in range(2):
        typ, data = client.uid("FETCH", "1:*", "(FLAGS ENVELOPE BODY BODYSTRUCTURE)")
        assert typ == "OK"
        results.append(data)
    client.logout()
    server.stop()
    return results


def test_kept_structures_equal_fresh_ones(make_server):
    kept = fetch_twice(make_server, None)
    fresh = fetch_twice(make_server, {"imap_fetch_cache_size": 0})
    assert len(kept[0]) == len(MESSAGES)
    assert b"BODYSTRUCTURE" in kept[0][1] and b"ENVELOPE" in kept[0][0]
    assert kept[0] == kept[1] == fresh[0] == fresh[1]
