"""CalDAV / CardDAV over the real binary with curl: discovery, PROPFIND, PUT/GET/DELETE with ETags, reports,
sync-collection, MKCALENDAR/PROPPATCH/MOVE and CardDAV queries."""
import re

from dav_client import BOOK, CAL, NS, calendar_query, curl, event, vcard

PROPFIND_HOME = ('<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" '
                 'xmlns:cs="http://calendarserver.org/ns/"><d:prop><d:resourcetype/><d:displayname/>'
                 '<cs:getctag/><d:sync-token/><c:supported-calendar-component-set/><d:current-user-privilege-set/>'
                 '</d:prop></d:propfind>')


def test_well_known_redirects_to_the_dav_root(server):
    for path in ("/.well-known/caldav", "/.well-known/carddav"):
        r = curl(server, "GET", path, user=None)
        assert r.status == 301
        assert r.header("location") == "/dav/"


def test_requests_without_credentials_get_401_with_basic_challenge(server):
    r = curl(server, "PROPFIND", "/dav/", user=None, headers={"Depth": "0"})
    assert r.status == 401
    assert r.header("www-authenticate").startswith("Basic realm=")
    r = curl(server, "PROPFIND", "/dav/", password="wrong", headers={"Depth": "0"})
    assert r.status == 401


def test_discovery_principal_and_homes(server):
    body = ('<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>')
    r = curl(server, "PROPFIND", "/dav/", body, headers={"Depth": "0"})
    assert r.status == 207, r
    assert r.xml().find(".//d:current-user-principal/d:href", NS).text == "/dav/principals/alice@example.org/"
    body = ('<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" '
            'xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><c:calendar-home-set/><card:addressbook-home-set/>'
            '<d:principal-URL/><d:resourcetype/></d:prop></d:propfind>')
    r = curl(server, "PROPFIND", "/dav/principals/alice@example.org/", body, headers={"Depth": "0"})
    assert r.status == 207
    x = r.xml()
    assert x.find(".//c:calendar-home-set/d:href", NS).text == "/dav/calendars/alice@example.org/"
    assert x.find(".//card:addressbook-home-set/d:href", NS).text == "/dav/addressbooks/alice@example.org/"
    assert x.find(".//d:resourcetype/d:principal", NS) is not None


def test_every_account_has_a_default_calendar_and_address_book(server):
    r = curl(server, "PROPFIND", "/dav/calendars/bob@example.org/", PROPFIND_HOME, user="bob@example.org",
             headers={"Depth": "1"})
    assert r.status == 207, r
    assert "/dav/calendars/bob@example.org/default/" in r.hrefs()
    comps = [c.get("name") for c in r.xml().findall(".//c:supported-calendar-component-set/c:comp", NS)]
    assert comps == ["VEVENT", "VTODO"]
    assert r.xml().find(".//d:current-user-privilege-set/d:privilege/d:write", NS) is not None
    r = curl(server, "PROPFIND", "/dav/addressbooks/bob@example.org/", PROPFIND_HOME, user="bob@example.org",
             headers={"Depth": "1"})
    assert "/dav/addressbooks/bob@example.org/contacts/" in r.hrefs()
    assert r.xml().find(".//d:resourcetype/card:addressbook", NS) is not None


def test_options_advertises_caldav_and_carddav(server):
    r = curl(server, "OPTIONS", CAL)
    assert r.status == 200
    dav = r.header("dav")
    for token in ("1", "3", "calendar-access", "addressbook"):
        assert token in [t.strip() for t in dav.split(",")]


def test_put_get_delete_with_etags_and_conditions(server):
    ics = event("e1", "20260105T100000Z", "20260105T110000Z")
    r = curl(server, "PUT", CAL + "e1.ics", ics, headers={"Content-Type": "text/calendar", "If-None-Match": "*"})
    assert r.status == 201, r
    etag = r.header("etag")
    assert etag and etag.startswith('"')
    r = curl(server, "PUT", CAL + "e1.ics", ics, headers={"Content-Type": "text/calendar", "If-None-Match": "*"})
    assert r.status == 412
    r = curl(server, "GET", CAL + "e1.ics")
    assert r.status == 200 and r.body == ics
    assert r.header("etag") == etag
    assert r.header("content-type").startswith("text/calendar")
    r = curl(server, "PUT", CAL + "e1.ics", ics.replace("Meeting", "Changed"),
             headers={"Content-Type": "text/calendar", "If-Match": '"0-0"'})
    assert r.status == 412
    r = curl(server, "PUT", CAL + "e1.ics", ics.replace("Meeting", "Changed"),
             headers={"Content-Type": "text/calendar", "If-Match": etag})
    assert r.status == 204
    new_etag = r.header("etag")
    assert new_etag != etag
    assert curl(server, "DELETE", CAL + "e1.ics", headers={"If-Match": etag}).status == 412
    assert curl(server, "DELETE", CAL + "e1.ics", headers={"If-Match": new_etag}).status == 204
    assert curl(server, "GET", CAL + "e1.ics").status == 404


def test_invalid_calendar_data_is_refused_with_a_precondition(server):
    r = curl(server, "PUT", CAL + "bad.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n"
             "DTSTART:not-a-date\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", headers={"Content-Type": "text/calendar"})
    assert r.status == 403
    assert r.xml().find("c:valid-calendar-data", NS) is not None
    assert "error" in r.body.lower()
    journal = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VJOURNAL\r\nUID:j\r\n"
               "DTSTAMP:20260101T000000Z\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n")
    r = curl(server, "PUT", CAL + "j.ics", journal, headers={"Content-Type": "text/calendar"})
    assert r.status == 403
    assert r.xml().find("c:supported-calendar-component", NS) is not None
    assert "VJOURNAL" in r.body


def test_uid_conflict(server):
    assert curl(server, "PUT", CAL + "a.ics", event("same", "20260105T100000Z"),
                headers={"Content-Type": "text/calendar"}).status == 201
    r = curl(server, "PUT", CAL + "b.ics", event("same", "20260106T100000Z"),
             headers={"Content-Type": "text/calendar"})
    assert r.status == 409
    assert r.xml().find("c:no-uid-conflict/d:href", NS).text == CAL + "a.ics"


def put(server, name, ics, path=CAL, user="alice@example.org"):
    r = curl(server, "PUT", path + name, ics, user=user, headers={"Content-Type": "text/calendar"})
    assert r.status in (201, 204), r
    return r


def test_calendar_query_time_range_with_recurrences_and_expand(server):
    put(server, "single.ics", event("single", "20260105T100000Z", "20260105T110000Z"))
    put(server, "later.ics", event("later", "20260301T100000Z", "20260301T110000Z"))
    put(server, "weekly.ics", event("weekly", "20250106T090000Z", "20250106T100000Z",
                                    extra="RRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXDATE:20260112T090000Z\r\n"))
    put(server, "old.ics", event("old", "20250106T090000Z", "20250106T100000Z",
                                 extra="RRULE:FREQ=DAILY;COUNT=3\r\n"))
    r = curl(server, "REPORT", CAL, calendar_query("20260105T000000Z", "20260106T000000Z"), headers={"Depth": "1"})
    assert r.status == 207, r
    assert sorted(r.hrefs()) == [CAL + "single.ics", CAL + "weekly.ics"]
    # The week of 12 Jan 2026: the Monday instance is excluded.
    r = curl(server, "REPORT", CAL, calendar_query("20260112T000000Z", "20260113T000000Z"), headers={"Depth": "1"})
    assert r.hrefs() == []
    r = curl(server, "REPORT", CAL, calendar_query("20260101T000000Z", "20260201T000000Z", expand=True),
             headers={"Depth": "1"})
    data = {e.find("d:href", NS).text: e.find(".//c:calendar-data", NS).text for e in r.xml().findall("d:response", NS)}
    weekly = data[CAL + "weekly.ics"]
    assert "RRULE" not in weekly
    assert re.findall(r"RECURRENCE-ID:(\d{8})", weekly) == ["20260105", "20260119", "20260126"]


def test_time_range_when_the_first_instance_of_a_series_is_excluded(server):
    # The index keeps the first real occurrence (3 March): a query on it matches without expanding the series,
    # a query on the excluded DTSTART slot does not.
    put(server, "ex.ics", event("ex", "20260302T090000Z", "20260302T100000Z", summary="Plan & <review>",
                                extra="RRULE:FREQ=DAILY;COUNT=3\r\nEXDATE:20260302T090000Z\r\n"))
    for start, end, hits in (("20260302T000000Z", "20260303T000000Z", []),
                             ("20260303T000000Z", "20260304T000000Z", [CAL + "ex.ics"]),
                             ("20260304T093000Z", "20260305T000000Z", [CAL + "ex.ics"]),
                             ("20260305T000000Z", "20260310T000000Z", [])):
        r = curl(server, "REPORT", CAL, calendar_query(start, end), headers={"Depth": "1"})
        assert r.status == 207, r
        assert r.hrefs() == hits, (start, end)
    r = curl(server, "REPORT", CAL, calendar_query("20260301T000000Z", "20260401T000000Z"), headers={"Depth": "1"})
    assert "SUMMARY:Plan & <review>" in r.xml().find(".//c:calendar-data", NS).text


def test_calendar_multiget(server):
    for i in range(3):
        put(server, f"m{i}.ics", event(f"m{i}", f"2026010{i + 1}T100000Z"))
    body = ('<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/>'
            f"<c:calendar-data/></d:prop><d:href>{CAL}m0.ics</d:href><d:href>{CAL}m2.ics</d:href>"
            f"<d:href>{CAL}missing.ics</d:href></c:calendar-multiget>")
    r = curl(server, "REPORT", CAL, body, headers={"Depth": "1"})
    assert r.status == 207
    responses = {e.find("d:href", NS).text: e for e in r.xml().findall("d:response", NS)}
    assert "UID:m2" in responses[CAL + "m2.ics"].find(".//c:calendar-data", NS).text
    assert "404" in responses[CAL + "missing.ics"].find("d:status", NS).text


def sync(server, token="", path=CAL):
    body = ('<d:sync-collection xmlns:d="DAV:"><d:sync-token>' + token + "</d:sync-token><d:sync-level>1"
            "</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>")
    r = curl(server, "REPORT", path, body)
    assert r.status == 207, r
    x = r.xml()
    changed = [e.find("d:href", NS).text for e in x.findall("d:response", NS) if e.find("d:propstat", NS) is not None]
    removed = [e.find("d:href", NS).text for e in x.findall("d:response", NS) if e.find("d:status", NS) is not None]
    return x.find("d:sync-token", NS).text, changed, removed


def test_sync_collection_reports_changes_and_deletions(server):
    put(server, "s1.ics", event("s1", "20260105T100000Z"))
    put(server, "s2.ics", event("s2", "20260105T100000Z"))
    token, changed, removed = sync(server)
    assert sorted(changed) == [CAL + "s1.ics", CAL + "s2.ics"] and removed == []
    same, changed, removed = sync(server, token)
    assert same == token and changed == [] and removed == []
    put(server, "s3.ics", event("s3", "20260105T100000Z"))
    assert curl(server, "DELETE", CAL + "s1.ics").status == 204
    newer, changed, removed = sync(server, token)
    assert newer != token
    assert changed == [CAL + "s3.ics"] and removed == [CAL + "s1.ics"]
    r = curl(server, "REPORT", CAL, '<d:sync-collection xmlns:d="DAV:"><d:sync-token>bogus</d:sync-token>'
             '<d:prop><d:getetag/></d:prop></d:sync-collection>')
    assert r.status == 403 and r.xml().find("d:valid-sync-token", NS) is not None
    # getctag follows the same sequence.
    r = curl(server, "PROPFIND", CAL, PROPFIND_HOME, headers={"Depth": "0"})
    assert r.xml().find(".//cs:getctag", NS).text == newer.rsplit("/", 1)[1]


def test_free_busy_query(server):
    put(server, "busy.ics", event("busy", "20260105T100000Z", "20260105T110000Z"))
    put(server, "free.ics", event("free", "20260105T120000Z", "20260105T130000Z", extra="TRANSP:TRANSPARENT\r\n"))
    body = ('<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"><c:time-range start="20260105T000000Z" '
            'end="20260106T000000Z"/></c:free-busy-query>')
    r = curl(server, "REPORT", CAL, body, headers={"Depth": "1"})
    assert r.status == 200
    assert r.header("content-type").startswith("text/calendar")
    assert "FREEBUSY:20260105T100000Z/20260105T110000Z" in r.body
    assert "20260105T120000Z" not in r.body


def test_mkcalendar_proppatch_move_and_delete(server):
    body = ('<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>'
            "<d:displayname>Work</d:displayname><c:supported-calendar-component-set><c:comp name=\"VTODO\"/>"
            "</c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>")
    work = "/dav/calendars/alice@example.org/work/"
    assert curl(server, "MKCALENDAR", work, body).status == 201
    assert curl(server, "MKCALENDAR", work, body).status == 405
    patch = ('<d:propertyupdate xmlns:d="DAV:" xmlns:i="http://apple.com/ns/ical/"><d:set><d:prop>'
             "<d:displayname>Office</d:displayname><i:calendar-color>#00ff00</i:calendar-color></d:prop></d:set>"
             "</d:propertyupdate>")
    r = curl(server, "PROPPATCH", work, patch)
    assert r.status == 207 and "200 OK" in r.body
    r = curl(server, "PROPFIND", work, '<d:propfind xmlns:d="DAV:" xmlns:i="http://apple.com/ns/ical/"><d:prop>'
             "<d:displayname/><i:calendar-color/></d:prop></d:propfind>", headers={"Depth": "0"})
    assert r.xml().find(".//d:displayname", NS).text == "Office"
    assert "#00ff00" in r.body
    # The VTODO-only calendar refuses events; MOVE between calendars keeps the object.
    assert curl(server, "PUT", work + "e.ics", event("e", "20260105T100000Z"),
                headers={"Content-Type": "text/calendar"}).status == 403
    put(server, "mv.ics", event("mv", "20260105T100000Z"))
    extended = ('<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:resourcetype>'
                "<d:collection/><c:calendar/></d:resourcetype></d:prop></d:set></d:mkcol>")
    other = "/dav/calendars/alice@example.org/other/"
    assert curl(server, "MKCOL", other, extended).status == 201
    r = curl(server, "MOVE", CAL + "mv.ics", headers={"Destination": f"http://127.0.0.1:{server.port('http')}"
                                                      f"{other}moved.ics", "Overwrite": "F"})
    assert r.status == 201, r
    assert curl(server, "GET", other + "moved.ics").status == 200
    assert curl(server, "GET", CAL + "mv.ics").status == 404
    assert curl(server, "DELETE", other).status == 204
    assert curl(server, "PROPFIND", other, headers={"Depth": "0"}).status == 404


def test_carddav_put_query_multiget(server):
    assert curl(server, "PUT", BOOK + "a.vcf", vcard("c1", "Carol Client", "carol@example.net"),
                headers={"Content-Type": "text/vcard"}).status == 201
    assert curl(server, "PUT", BOOK + "b.vcf", vcard("c2", "Dave Doe", "dave@example.com", "4.0"),
                headers={"Content-Type": "text/vcard"}).status == 201
    r = curl(server, "PUT", BOOK + "bad.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Uid\r\nEND:VCARD\r\n",
             headers={"Content-Type": "text/vcard"})
    assert r.status == 403 and r.xml().find("card:valid-address-data", NS) is not None and "UID" in r.body
    query = ('<card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop>'
             '<d:getetag/><card:address-data/></d:prop><card:filter><card:prop-filter name="EMAIL">'
             '<card:text-match match-type="contains">EXAMPLE.NET</card:text-match></card:prop-filter></card:filter>'
             "</card:addressbook-query>")
    r = curl(server, "REPORT", BOOK, query, headers={"Depth": "1"})
    assert r.status == 207
    assert r.hrefs() == [BOOK + "a.vcf"]
    assert "Carol Client" in r.xml().find(".//card:address-data", NS).text
    multiget = ('<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop>'
                f"<card:address-data/></d:prop><d:href>{BOOK}b.vcf</d:href></card:addressbook-multiget>")
    r = curl(server, "REPORT", BOOK, multiget, headers={"Depth": "1"})
    assert "Dave Doe" in r.body
    r = curl(server, "GET", BOOK + "b.vcf")
    assert r.status == 200 and r.header("content-type").startswith("text/vcard")
