"""QRESYNC (RFC 7162 3.2) with real clients: ENABLE QRESYNC, SELECT (QRESYNC ...), VANISHED (EARLIER), UID FETCH
(CHANGEDSINCE n VANISHED), and VANISHED in place of EXPUNGE once enabled (own EXPUNGE, other sessions' expunges
at command boundaries and during IDLE). The expunge record survives a restart."""
import re

from imapx_support import restart, Raw, connect, find, message, tagged


def populate(server, count=5):
    """Appends `count` messages to alice's INBOX; returns (uidvalidity, highestmodseq) after them."""
    client = connect(server)
    for i in range(count):
        assert client.append("INBOX", None, None, message(f"m{i + 1}"))[0] == "OK"
    client.select("INBOX")
    uidvalidity = int(client.untagged_responses["UIDVALIDITY"][0])
    raw = Raw(server.port("imap"))
    raw.login()
    lines = raw.command("s", "SELECT INBOX (CONDSTORE)")
    modseq = int(re.search(r"HIGHESTMODSEQ (\d+)", " ".join(lines)).group(1))
    raw.close()
    client.logout()
    return uidvalidity, modseq


def change_after(server):
    """Flags uid 2 and expunges uids 3 and 4 in another session."""
    client = connect(server)
    client.select("INBOX")
    assert client.uid("STORE", "2", "+FLAGS", r"(\Flagged)")[0] == "OK"
    assert client.uid("STORE", "3:4", "+FLAGS", r"(\Deleted)")[0] == "OK"
    assert client.expunge()[0] == "OK"
    client.logout()


def qresync_session(server):
    raw = Raw(server.port("imap"))
    raw.login()
    lines = raw.command("e", "ENABLE QRESYNC")
    assert "* ENABLED QRESYNC" in lines and tagged(lines).startswith("e OK")
    return raw


def test_capability_and_select_without_enable_is_bad(server):
    raw = Raw(server.port("imap"))
    raw.login()
    caps = raw.command("c", "CAPABILITY")[0]
    assert " QRESYNC" in caps and " CONDSTORE" in caps
    assert tagged(raw.command("s", "SELECT INBOX (QRESYNC (1 1))")).startswith("s BAD")
    raw.command("s2", "SELECT INBOX")
    assert tagged(raw.command("f", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)")).startswith("f BAD")
    raw.close()


def test_select_qresync_reports_vanished_and_changed_flags(server):
    uidvalidity, modseq = populate(server)
    change_after(server)
    raw = qresync_session(server)
    lines = raw.command("s", f"SELECT INBOX (QRESYNC ({uidvalidity} {modseq}))")
    assert tagged(lines).startswith("s OK")
    assert "* VANISHED (EARLIER) 3:4" in lines
    fetches = find(lines, r"FETCH \(")
    assert len(fetches) == 1 and "UID 2 " in fetches[0] and "\\Flagged" in fetches[0] and "MODSEQ (" in fetches[0]
    # The VANISHED comes after HIGHESTMODSEQ and before the tagged OK.
    assert lines.index("* VANISHED (EARLIER) 3:4") > lines.index(find(lines, "HIGHESTMODSEQ")[0])
    raw.close()


def test_known_uids_limit_the_answer_and_a_wrong_uidvalidity_gives_none(server):
    uidvalidity, modseq = populate(server)
    change_after(server)
    raw = qresync_session(server)
    lines = raw.command("s", f"EXAMINE INBOX (QRESYNC ({uidvalidity} {modseq} 1,3))")
    assert "* VANISHED (EARLIER) 3" in lines
    assert find(lines, r"FETCH \(") == []  # uid 2 changed but is not among the known uids
    lines = raw.command("s2", f"EXAMINE INBOX (QRESYNC ({uidvalidity + 1} {modseq}))")
    assert tagged(lines).startswith("s2 OK")
    assert find(lines, "VANISHED") == [] and find(lines, r"FETCH \(") == []
    assert "* OK [CLOSED] Previous mailbox closed" in lines
    raw.close()


def test_uid_fetch_changedsince_vanished(server):
    uidvalidity, modseq = populate(server)
    change_after(server)
    raw = qresync_session(server)
    raw.command("s", "SELECT INBOX")
    lines = raw.command("f", f"UID FETCH 1:* (FLAGS) (CHANGEDSINCE {modseq} VANISHED)")
    assert tagged(lines).startswith("f OK")
    assert lines[0] == "* VANISHED (EARLIER) 3:4"
    fetches = find(lines, r"FETCH \(")
    assert len(fetches) == 1 and "UID 2 " in fetches[0]
    lines = raw.command("f2", f"UID FETCH 4:5 (FLAGS) (CHANGEDSINCE {modseq} VANISHED)")
    assert lines[0] == "* VANISHED (EARLIER) 4"
    assert tagged(raw.command("f3", f"FETCH 1 (FLAGS) (CHANGEDSINCE {modseq} VANISHED)")).startswith("f3 BAD")
    raw.close()


def test_vanished_replaces_expunge_for_own_and_other_sessions(server):
    populate(server)
    raw = qresync_session(server)
    raw.command("s", "SELECT INBOX")
    raw.command("d", "UID STORE 1 +FLAGS.SILENT (\\Deleted)")
    lines = raw.command("x", "EXPUNGE")
    assert "* VANISHED 1" in lines and find(lines, "EXPUNGE$") == []
    other = connect(server)
    other.select("INBOX")
    other.uid("STORE", "5", "+FLAGS", r"(\Deleted)")
    other.expunge()
    lines = raw.command("n", "NOOP")
    assert "* VANISHED 5" in lines and find(lines, " EXPUNGE$") == []
    # During IDLE too.
    raw.send("i IDLE\r\n")
    assert raw.line().startswith("+")
    other.uid("STORE", "2", "+FLAGS", r"(\Deleted)")
    other.expunge()
    assert raw.until(lambda line: "VANISHED" in line)[-1] == "* VANISHED 2"
    raw.send("DONE\r\n")
    assert tagged(raw.until_tagged("i")).startswith("i OK")
    # A MOVE reports the moved messages as VANISHED too.
    lines = raw.command("m", "UID MOVE 3 Archive")
    assert "* VANISHED 3" in lines and tagged(lines).startswith("m OK")
    other.logout()
    raw.close()


def test_expunge_record_survives_a_restart(server):
    uidvalidity, modseq = populate(server)
    change_after(server)
    restart(server)
    raw = qresync_session(server)
    lines = raw.command("s", f"SELECT INBOX (QRESYNC ({uidvalidity} {modseq}))")
    assert "* VANISHED (EARLIER) 3:4" in lines
    raw.close()
