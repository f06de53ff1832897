"""Several sessions of one account writing at once (issue 5 point 2 under the read pool and group commit of
store/sqlite/read_pool.h and write_group.h): every APPEND gets its own UID, each session sees its own new
message at once (a UID STORE right after the APPEND finds it), nothing is lost, and the others see the changes."""
import re
import threading

from imapx_support import connect, message

SESSIONS = 8
ROUNDS = 12


def worker(server, index, uids, errors):
    try:
        client = connect(server)
        client.select("INBOX")
        for n in range(ROUNDS):
            typ, data = client.append("INBOX", "(\\Seen)", None, message(f"concurrent {index} {n}"))
            assert typ == "OK", data
            uid = int(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1))
            uids.append(uid)
            # The session's own message must be known to it right away: STORE on it answers with its FLAGS.
            typ, data = client.uid("STORE", str(uid), "+FLAGS", "(\\Flagged)")
            assert typ == "OK", data
            assert any(item and re.search(rb"\bUID %d\b" % uid, item) for item in data), (uid, data)
            if n % 2 == 0:  # half of them are removed again, by the session that added them
                typ, data = client.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Deleted)")
                assert typ == "OK", data
                typ, data = client.uid("EXPUNGE", str(uid))
                assert typ == "OK", data
        client.logout()
    except Exception as e:  # noqa: BLE001 - reported by the test thread
        errors.append(f"session {index}: {e!r}")


def test_concurrent_sessions_of_one_account_keep_every_write(server):
    observer = connect(server)
    observer.select("INBOX")
    uids, errors = [], []
    threads = [threading.Thread(target=worker, args=(server, i, uids, errors)) for i in range(SESSIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert len(uids) == SESSIONS * ROUNDS
    assert len(set(uids)) == len(uids), "a UID was handed out twice"
    kept = SESSIONS * (ROUNDS // 2)
    # A session that was selected the whole time sees the final state after a NOOP.
    typ, _ = observer.noop()
    assert typ == "OK"
    typ, data = observer.uid("SEARCH", "ALL")
    assert typ == "OK"
    seen = sorted(int(x) for x in data[0].split())
    assert len(seen) == kept
    typ, data = observer.uid("SEARCH", "FLAGGED")
    assert len(data[0].split()) == kept
    typ, data = observer.uid("SEARCH", "DELETED")
    assert data[0].split() == []
    observer.logout()
