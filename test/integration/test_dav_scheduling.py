"""CalDAV scheduling (RFC 6638) over the real binary: schedule inbox/outbox discovery, invitations between local
users (REQUEST into the attendee's inbox and calendar, REPLY back onto the organizer's copy, CANCEL), iMIP mail to
remote attendees through the outbound queue, received iMIP mail (trusted only from authenticated local senders),
and free/busy through the outbox that shows busy periods and nothing else."""
import email
import email.policy
import smtplib

from dav_client import NS, curl
from mailbox_inspect import inbox, queue_entries, read_blob
from test_smtp_support import insecure_context

ALICE = "alice@example.org"
BOB = "bob@example.org"
PASSWORD = "secret-password"


def invitation(uid, attendees, organizer=ALICE, start="20270301T100000Z", end="20270301T110000Z",
               summary="Planning", extra=""):
    lines = [f"ATTENDEE;CN={a.split('@')[0]};PARTSTAT={p};RSVP=TRUE:mailto:{a}" for a, p in attendees]
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bulwark tests//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:{summary}\r\n"
            f"ORGANIZER;CN=Organizer:mailto:{organizer}\r\n" + "\r\n".join(lines) + "\r\n" + extra +
            "END:VEVENT\r\nEND:VCALENDAR\r\n")


def cal_url(user, name="default"):
    return f"/dav/calendars/{user}/{name}/"


def put(server, user, path, body):
    return curl(server, "PUT", path, body, user=user, headers={"Content-Type": "text/calendar; charset=utf-8"})


def get(server, user, path):
    return curl(server, "GET", path, user=user)


def unfold(text):
    return text.replace("\r\n ", "").replace("\n ", "")


def schedule_inbox(server, user):
    """The iTIP messages in the user's schedule inbox (bodies), found through the principal's schedule-inbox-URL."""
    body = ('<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:schedule-inbox-URL/>'
            '</d:prop></d:propfind>')
    r = curl(server, "PROPFIND", f"/dav/principals/{user}/", body, user=user, headers={"Depth": "0"})
    assert r.status == 207, r
    url = r.xml().find(".//c:schedule-inbox-URL/d:href", NS).text
    r = curl(server, "PROPFIND", url, '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>',
             user=user, headers={"Depth": "1"})
    assert r.status == 207, r
    out = []
    for href in r.hrefs():
        if href.endswith(".ics"):
            g = get(server, user, href)
            assert g.status == 200, g
            out.append(unfold(g.body))
    return out


def attendee_line(text, address):
    for line in unfold(text).splitlines():
        if line.startswith("ATTENDEE") and line.lower().endswith("mailto:" + address):
            return line
    return None


def test_principal_and_options_advertise_scheduling(server):
    r = curl(server, "OPTIONS", cal_url(ALICE))
    assert "calendar-auto-schedule" in r.header("dav")
    body = ('<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:schedule-inbox-URL/>'
            '<c:schedule-outbox-URL/><c:calendar-user-address-set/><c:calendar-user-type/></d:prop></d:propfind>')
    r = curl(server, "PROPFIND", f"/dav/principals/{ALICE}/", body, headers={"Depth": "0"})
    assert r.status == 207, r
    x = r.xml()
    assert x.find(".//c:schedule-inbox-URL/d:href", NS).text == cal_url(ALICE, "inbox")
    assert x.find(".//c:schedule-outbox-URL/d:href", NS).text == cal_url(ALICE, "outbox")
    assert "mailto:" + ALICE in [h.text for h in x.findall(".//c:calendar-user-address-set/d:href", NS)]
    assert x.find(".//c:calendar-user-type", NS).text == "INDIVIDUAL"
    rt = '<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>'
    r = curl(server, "PROPFIND", cal_url(ALICE, "inbox"), rt, headers={"Depth": "0"})
    assert r.status == 207 and r.xml().find(".//d:resourcetype/c:schedule-inbox", NS) is not None, r
    r = curl(server, "PROPFIND", cal_url(ALICE, "outbox"), rt, headers={"Depth": "0"})
    assert r.status == 207 and r.xml().find(".//d:resourcetype/c:schedule-outbox", NS) is not None, r
    # Neither shows up among the calendars, and neither can be created, written or removed by a client.
    r = curl(server, "PROPFIND", f"/dav/calendars/{ALICE}/", rt, headers={"Depth": "1"})
    assert cal_url(ALICE, "inbox") not in r.hrefs()
    assert put(server, ALICE, cal_url(ALICE, "inbox") + "x.ics", invitation("x", [])).status == 403
    assert curl(server, "MKCALENDAR", cal_url(ALICE, "outbox")).status == 403
    assert curl(server, "DELETE", cal_url(ALICE, "inbox")).status == 403


def test_local_invitation_reply_and_cancel(server):
    uid = "meeting-1@example.org"
    body = invitation(uid, [(ALICE, "ACCEPTED"), (BOB, "NEEDS-ACTION")])
    r = put(server, ALICE, cal_url(ALICE) + "meeting-1.ics", body)
    assert r.status == 201, r
    assert r.header("etag") is None  # the server added SCHEDULE-STATUS, so the client must fetch it again
    mine = get(server, ALICE, cal_url(ALICE) + "meeting-1.ics").body
    assert "SCHEDULE-STATUS=1.2" in attendee_line(mine, BOB)

    # Bob: the REQUEST waits in his schedule inbox and the event is on his default calendar, not yet answered.
    requests = [m for m in schedule_inbox(server, BOB) if "METHOD:REQUEST" in m]
    assert len(requests) == 1 and f"UID:{uid}" in requests[0]
    bob_copy = get(server, BOB, cal_url(BOB) + f"{uid}.ics")
    assert bob_copy.status == 200, bob_copy
    assert "PARTSTAT=NEEDS-ACTION" in attendee_line(bob_copy.body, BOB)
    assert "METHOD" not in bob_copy.body and "SCHEDULE-STATUS" not in bob_copy.body

    # Bob accepts: Alice's copy shows it and her inbox has his REPLY.
    accepted = bob_copy.body.replace(attendee_line(bob_copy.body, BOB),
                                     attendee_line(bob_copy.body, BOB).replace("NEEDS-ACTION", "ACCEPTED"))
    r = put(server, BOB, cal_url(BOB) + f"{uid}.ics", unfold(accepted))
    assert r.status == 204, r
    mine = get(server, ALICE, cal_url(ALICE) + "meeting-1.ics").body
    assert "PARTSTAT=ACCEPTED" in attendee_line(mine, BOB)
    replies = [m for m in schedule_inbox(server, ALICE) if "METHOD:REPLY" in m]
    assert len(replies) == 1 and "PARTSTAT=ACCEPTED" in attendee_line(replies[0], BOB)

    # Alice cancels by deleting: Bob gets a CANCEL and his copy is marked cancelled.
    assert curl(server, "DELETE", cal_url(ALICE) + "meeting-1.ics").status == 204
    assert any("METHOD:CANCEL" in m for m in schedule_inbox(server, BOB))
    assert "STATUS:CANCELLED" in get(server, BOB, cal_url(BOB) + f"{uid}.ics").body


def test_attendee_delete_declines_and_removed_attendee_is_cancelled(make_server):
    srv = make_server()
    for user in (ALICE, BOB, "carol@example.org"):
        srv.add_user(user)
    srv.start()
    uid = "meeting-2@example.org"
    both = invitation(uid, [(ALICE, "ACCEPTED"), (BOB, "NEEDS-ACTION"), ("carol@example.org", "NEEDS-ACTION")])
    assert put(srv, ALICE, cal_url(ALICE) + "m2.ics", both).status == 201
    # Bob deletes his copy: that declines (RFC 6638 3.2.2.3).
    assert curl(srv, "DELETE", cal_url(BOB) + f"{uid}.ics", user=BOB).status == 204
    assert "PARTSTAT=DECLINED" in attendee_line(get(srv, ALICE, cal_url(ALICE) + "m2.ics").body, BOB)
    # Alice drops Carol from the meeting: Carol's copy is cancelled, nothing else changes for her.
    carol = "carol@example.org"
    assert "STATUS:CANCELLED" not in get(srv, carol, cal_url(carol) + f"{uid}.ics", ).body
    without_carol = invitation(uid, [(ALICE, "ACCEPTED"), (BOB, "DECLINED")], extra="SEQUENCE:1\r\n")
    assert put(srv, ALICE, cal_url(ALICE) + "m2.ics", without_carol).status == 204
    assert "STATUS:CANCELLED" in get(srv, carol, cal_url(carol) + f"{uid}.ics").body
    assert any("METHOD:CANCEL" in m for m in schedule_inbox(srv, carol))


def test_unknown_local_attendee_gets_invalid_user_status(server):
    body = invitation("m3@example.org", [(ALICE, "ACCEPTED"), ("nobody@example.org", "NEEDS-ACTION")])
    assert put(server, ALICE, cal_url(ALICE) + "m3.ics", body).status == 201
    mine = get(server, ALICE, cal_url(ALICE) + "m3.ics").body
    assert "SCHEDULE-STATUS=3.7" in attendee_line(mine, "nobody@example.org")


def test_client_scheduled_attendee_is_left_to_the_client(server):
    body = invitation("m4@example.org", [(ALICE, "ACCEPTED")],
                      extra=f"ATTENDEE;SCHEDULE-AGENT=CLIENT;PARTSTAT=NEEDS-ACTION:mailto:{BOB}\r\n")
    r = put(server, ALICE, cal_url(ALICE) + "m4.ics", body)
    assert r.status == 201 and r.header("etag") is not None  # stored as sent
    assert get(server, BOB, cal_url(BOB) + "m4@example.org.ics").status == 404
    assert schedule_inbox(server, BOB) == []


def test_remote_attendee_gets_an_imip_mail_in_the_outbound_queue(server):
    uid = "remote-1@example.org"
    body = invitation(uid, [(ALICE, "ACCEPTED"), ("carol@remote.example", "NEEDS-ACTION")], summary="Grüße")
    assert put(server, ALICE, cal_url(ALICE) + "r1.ics", body).status == 201
    assert "SCHEDULE-STATUS=1.1" in attendee_line(get(server, ALICE, cal_url(ALICE) + "r1.ics").body,
                                                  "carol@remote.example")
    entries = queue_entries(server.data_dir)
    assert len(entries) == 1
    _, sender, rcpts, blob = entries[0]
    assert sender == ALICE and rcpts == ["carol@remote.example"]
    raw = read_blob(server.data_dir, blob)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["From"].addresses[0].addr_spec == ALICE
    assert msg["To"].addresses[0].addr_spec == "carol@remote.example"
    assert msg.get_content_type() == "multipart/alternative"
    parts = {p.get_content_type(): p for p in msg.iter_parts()}
    assert set(parts) == {"text/plain", "text/calendar"}
    cal = parts["text/calendar"]
    assert cal.get_param("method") == "REQUEST" and cal.get_content_charset() == "utf-8"
    text = unfold(cal.get_content())
    assert "METHOD:REQUEST" in text and f"UID:{uid}" in text and "SUMMARY:Grüße" in text
    assert "SCHEDULE-STATUS" not in text
    assert "Grüße" in str(msg["Subject"])


def imip_mail(sender, rcpt, uid, method="REQUEST", organizer=None):
    cal = invitation(uid, [(rcpt, "NEEDS-ACTION")], organizer=organizer or sender)
    cal = cal.replace("VERSION:2.0\r\n", f"VERSION:2.0\r\nMETHOD:{method}\r\n")
    return (f"From: <{sender}>\r\nTo: <{rcpt}>\r\nSubject: Invitation\r\nMessage-ID: <{uid}>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
            "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYou are invited.\r\n"
            f"--b1\r\nContent-Type: text/calendar; method={method}; charset=utf-8\r\n\r\n{cal}"
            "--b1--\r\n").encode()


def test_imip_from_a_remote_sender_waits_in_the_inbox(server):
    uid = "inbound-1@remote.example"
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as s:
        assert s.sendmail("carol@remote.example", [BOB], imip_mail("carol@remote.example", BOB, uid)) == {}
    assert any(uid.encode() in m.content for m in inbox(server, BOB))  # the mail itself stays in INBOX
    assert any(f"UID:{uid}" in m for m in schedule_inbox(server, BOB))
    assert get(server, BOB, cal_url(BOB) + f"{uid}.ics").status == 404


def test_imip_claiming_a_local_organizer_without_authentication_is_not_applied(server):
    uid = "forged-1@example.org"
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as s:
        assert s.sendmail(ALICE, [BOB], imip_mail(ALICE, BOB, uid)) == {}
    assert any(f"UID:{uid}" in m for m in schedule_inbox(server, BOB))
    assert get(server, BOB, cal_url(BOB) + f"{uid}.ics").status == 404


def test_imip_from_an_authenticated_local_organizer_is_applied(server):
    uid = "inbound-2@example.org"
    with smtplib.SMTP("127.0.0.1", server.port("submission"), timeout=10) as s:
        s.starttls(context=insecure_context())
        s.login(ALICE, PASSWORD)
        assert s.sendmail(ALICE, [BOB], imip_mail(ALICE, BOB, uid)) == {}
    assert any(uid.encode() in m.content for m in inbox(server, BOB))
    copy = get(server, BOB, cal_url(BOB) + f"{uid}.ics")
    assert copy.status == 200, copy
    assert "PARTSTAT=NEEDS-ACTION" in attendee_line(copy.body, BOB)


def free_busy_request(attendees, organizer=ALICE, start="20270301T000000Z", end="20270302T000000Z"):
    lines = "".join(f"ATTENDEE:mailto:{a}\r\n" for a in attendees)
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bulwark tests//EN\r\nMETHOD:REQUEST\r\n"
            f"BEGIN:VFREEBUSY\r\nUID:fb-1\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\n"
            f"ORGANIZER:mailto:{organizer}\r\n{lines}END:VFREEBUSY\r\nEND:VCALENDAR\r\n")


def plain_event(uid, start, end, summary, extra=""):
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bulwark tests//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:{summary}\r\n"
            f"{extra}END:VEVENT\r\nEND:VCALENDAR\r\n")


def test_free_busy_through_the_outbox_shows_busy_periods_only(server):
    events = {
        "secret": plain_event("fb-secret", "20270301T100000Z", "20270301T110000Z", "Secret merger talk"),
        "free": plain_event("fb-free", "20270301T120000Z", "20270301T130000Z", "Lunch", "TRANSP:TRANSPARENT\r\n"),
        "gone": plain_event("fb-gone", "20270301T140000Z", "20270301T150000Z", "Gone", "STATUS:CANCELLED\r\n"),
        "daily": plain_event("fb-daily", "20270228T160000Z", "20270228T170000Z", "Standup",
                             "RRULE:FREQ=DAILY;COUNT=3\r\n"),
    }
    for name, body in events.items():
        assert put(server, BOB, cal_url(BOB) + f"{name}.ics", body).status == 201
    r = curl(server, "POST", cal_url(ALICE, "outbox"),
             free_busy_request([BOB, "nobody@example.org", "dave@remote.example"]),
             headers={"Content-Type": "text/calendar; charset=utf-8"})
    assert r.status == 200, r
    responses = {}
    for resp in r.xml().findall("c:response", NS):
        recipient = resp.find("c:recipient/d:href", NS).text
        data = resp.find("c:calendar-data", NS)
        responses[recipient] = (resp.find("c:request-status", NS).text, data.text if data is not None else None)
    status, data = responses[f"mailto:{BOB}"]
    assert status.startswith("2.0")
    busy = sorted(line for line in unfold(data).splitlines() if line.startswith("FREEBUSY"))
    assert busy == ["FREEBUSY:20270301T100000Z/20270301T110000Z", "FREEBUSY:20270301T160000Z/20270301T170000Z"]
    assert "Secret" not in data and "SUMMARY" not in data and "fb-secret" not in data
    assert responses["mailto:nobody@example.org"][0].startswith("3.7")
    assert responses["mailto:dave@remote.example"][0].startswith("5.3")
    # Only the organizer's own outbox, with the organizer's own address.
    r = curl(server, "POST", cal_url(ALICE, "outbox"), free_busy_request([BOB], organizer=BOB),
             headers={"Content-Type": "text/calendar"})
    assert r.status == 403, r
    r = curl(server, "POST", cal_url(BOB, "outbox"), free_busy_request([BOB]),
             headers={"Content-Type": "text/calendar"})
    assert r.status == 403, r


def test_scheduling_grants_no_access_to_the_other_calendars(server):
    body = invitation("m5@example.org", [(ALICE, "ACCEPTED"), (BOB, "NEEDS-ACTION")])
    assert put(server, ALICE, cal_url(ALICE) + "m5.ics", body).status == 201
    assert get(server, BOB, cal_url(BOB) + "m5@example.org.ics").status == 200
    # Bob still cannot read Alice's calendar or inbox, nor Alice Bob's.
    assert get(server, BOB, cal_url(ALICE) + "m5.ics").status in (403, 404)
    rt = '<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>'
    assert curl(server, "PROPFIND", cal_url(ALICE, "inbox"), rt, user=BOB, headers={"Depth": "1"}).status in (403, 404)
    assert curl(server, "PROPFIND", cal_url(BOB), rt, headers={"Depth": "1"}).status in (403, 404)


def test_attendee_reply_to_a_remote_organizer_goes_out_as_imip(server):
    """An invitation from a remote organizer that bob's client put into his calendar: when bob accepts, the REPLY
    goes to the organizer by mail through the outbound queue (iMIP, RFC 6047), from bob's address."""
    uid = "remote-org-1@remote.example"
    organizer = "carol@remote.example"
    pending = invitation(uid, [(BOB, "NEEDS-ACTION")], organizer=organizer)
    assert put(server, BOB, cal_url(BOB) + "ro1.ics", pending).status in (201, 204)
    assert queue_entries(server.data_dir) == []  # nothing changed for the organizer yet
    accepted = invitation(uid, [(BOB, "ACCEPTED")], organizer=organizer)
    assert put(server, BOB, cal_url(BOB) + "ro1.ics", accepted).status in (201, 204)
    entries = queue_entries(server.data_dir)
    assert len(entries) == 1, entries
    _, sender, rcpts, blob = entries[0]
    assert sender == BOB and rcpts == [organizer]
    msg = email.message_from_bytes(read_blob(server.data_dir, blob), policy=email.policy.default)
    parts = {p.get_content_type(): p for p in msg.iter_parts()}
    cal = parts["text/calendar"]
    assert cal.get_param("method") == "REPLY"
    text = unfold(cal.get_content())
    assert "METHOD:REPLY" in text and f"UID:{uid}" in text
    assert "PARTSTAT=ACCEPTED" in attendee_line(text, BOB)
