"""SELECT of the mailbox a session already has selected: the server brings the session's view up to date with
the changes since (instead of reading every message again). What the client sees must be exactly what a fresh
session sees: EXISTS, UIDNEXT, HIGHESTMODSEQ, every message's UID and FLAGS, and the mailbox's keywords."""
import imaplib
import re

from test_imap import MESSAGE, connect


def snapshot(client, mailbox="INBOX"):
    typ, _ = client.select(mailbox)
    assert typ == "OK"
    responses = {key: client.response(key)[1] for key in ("EXISTS", "UIDNEXT", "HIGHESTMODSEQ", "FLAGS")}
    typ, data = client.uid("FETCH", "1:*", "(FLAGS)")
    assert typ == "OK"
    rows = sorted(re.sub(rb"^\d+ ", b"", row) for row in data if row)
    return responses, rows


def append(client, n, flags=""):
    for i in range(n):
        typ, _ = client.append("INBOX", flags, None, MESSAGE.replace(b"Hello there", b"msg %d" % i))
        assert typ == "OK"


def test_reselect_matches_a_fresh_session_after_other_sessions_change_the_mailbox(server):
    a, b = connect(server), connect(server)
    append(a, 6)
    first = snapshot(a)
    b.select("INBOX")
    b.uid("STORE", "2", "+FLAGS", r"(\Seen $Work)")
    b.uid("STORE", "3:4", "+FLAGS", r"(\Deleted)")
    b.expunge()
    append(b, 2, r"(\Flagged)")
    again = snapshot(a)  # the incremental path
    fresh = snapshot(connect(server))
    assert again == fresh
    assert again != first
    assert again[0]["EXISTS"] == [b"6"]
    assert b"$Work" in again[0]["FLAGS"][0]
    assert not any(re.match(rb"UID (3|4) ", row) for row in again[1])


def test_reselect_after_own_changes_and_examine_then_select(server):
    a = connect(server)
    append(a, 4)
    a.select("INBOX")
    a.uid("STORE", "1", "+FLAGS", r"(\Seen)")
    a.uid("STORE", "2", "+FLAGS", r"(\Deleted)")
    a.uid("EXPUNGE", "2")
    assert a.select("INBOX", readonly=True)[0] == "OK"  # EXAMINE, then SELECT again
    again = snapshot(a)
    assert again == snapshot(connect(server))
    assert again[0]["EXISTS"] == [b"3"]


def test_reselect_of_a_renamed_and_recreated_name_shows_the_new_mailbox(server):
    a, b = connect(server), connect(server)
    a.create("Projects")
    for i in range(3):
        assert a.append("Projects", "", None, MESSAGE)[0] == "OK"
    a.select("Projects")
    assert b.rename("Projects", "Old")[0] == "OK"
    assert b.create("Projects")[0] == "OK"
    assert b.append("Projects", "", None, MESSAGE)[0] == "OK"
    try:
        responses, rows = snapshot(a, "Projects")
    except imaplib.IMAP4.abort:
        return  # the server may end a session whose selected mailbox was renamed (BYE); also correct
    assert responses["EXISTS"] == [b"1"]
    assert (responses, rows) == snapshot(connect(server), "Projects")
