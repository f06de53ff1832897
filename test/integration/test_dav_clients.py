"""Real CalDAV / CardDAV clients against the real binary: Debian's python3-caldav, vdirsyncer (calendar and
address book both ways with a local folder) and khal reading what vdirsyncer synced."""
import datetime
import os
import shutil
import subprocess

import pytest

from dav_client import curl, event, vcard

caldav = pytest.importorskip("caldav")

RECURRING = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Bulwark tests//EN
BEGIN:VEVENT
UID:standup
DTSTAMP:20260101T000000Z
DTSTART:20260105T090000Z
DTEND:20260105T091500Z
RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR
SUMMARY:Standup
END:VEVENT
END:VCALENDAR
"""


def client(server, user="alice@example.org", scheme="http"):
    port = server.port(scheme)
    return caldav.DAVClient(url=f"{scheme}://127.0.0.1:{port}/dav/", username=user, password="secret-password",
                            ssl_verify_cert=False)


def test_python_caldav_calendar_lifecycle(server):
    principal = client(server).principal()
    assert "default" in [str(c.url) for c in principal.calendars()][0]
    calendar = principal.make_calendar(name="Work", cal_id="work")
    calendar.save_event(event("one", "20260105T100000Z", "20260105T110000Z", summary="Planning").replace("\r\n", "\n"))
    calendar.save_event(RECURRING)
    calendar.save_event(event("far", "20270105T100000Z", "20270105T110000Z", summary="Next year"))
    week = calendar.date_search(start=datetime.datetime(2026, 1, 12), end=datetime.datetime(2026, 1, 19))
    summaries = sorted(str(e.vobject_instance.vevent.summary.value) for e in week)
    assert summaries == ["Standup"]
    first_week = calendar.date_search(start=datetime.datetime(2026, 1, 5), end=datetime.datetime(2026, 1, 12))
    assert sorted(str(e.vobject_instance.vevent.summary.value) for e in first_week) == ["Planning", "Standup"]
    expanded = calendar.search(start=datetime.datetime(2026, 1, 12), end=datetime.datetime(2026, 1, 17), event=True,
                               expand=True)
    assert len(expanded) == 5  # Monday to Friday
    found = calendar.event_by_uid("one")
    found.delete()
    remaining = calendar.date_search(start=datetime.datetime(2026, 1, 5), end=datetime.datetime(2026, 1, 6))
    assert [str(e.vobject_instance.vevent.summary.value) for e in remaining] == ["Standup"]
    assert len(calendar.events()) == 2
    calendar.delete()
    assert "work" not in " ".join(str(c.url) for c in principal.calendars())


def test_python_caldav_over_https_and_isolation(server):
    alice = client(server, scheme="https").principal()
    alice.calendars()[0].save_event(event("secret", "20260105T100000Z", summary="Secret"))
    bob = client(server, user="bob@example.org", scheme="https").principal()
    assert [str(e.vobject_instance.vevent.summary.value) for e in bob.calendars()[0].events()] == []


VDIRSYNCER_CONFIG = """
[general]
status_path = "{status}"

[pair cal]
a = "cal_local"
b = "cal_remote"
collections = ["from b"]
conflict_resolution = "b wins"

[storage cal_local]
type = "filesystem"
path = "{calendars}"
fileext = ".ics"

[storage cal_remote]
type = "caldav"
url = "{url}"
username = "alice@example.org"
password = "secret-password"

[pair book]
a = "book_local"
b = "book_remote"
collections = ["from b"]

[storage book_local]
type = "filesystem"
path = "{contacts}"
fileext = ".vcf"

[storage book_remote]
type = "carddav"
url = "{url}"
username = "alice@example.org"
password = "secret-password"
"""

KHAL_CONFIG = """
[calendars]
[[work]]
path = {calendar}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC
"""


def server_contents(server, collection):
    """Every object in a collection, fetched one by one (vdirsyncer names uploads after their UID)."""
    listing = curl(server, "PROPFIND", collection, headers={"Depth": "1"})
    assert listing.status == 207
    hrefs = [h for h in listing.hrefs() if h != collection]
    return "".join(curl(server, "GET", h).body for h in hrefs)


def run(args, env, input=None):
    result = subprocess.run(args, env=env, input=input, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("vdirsyncer") is None or shutil.which("khal") is None,
                    reason="vdirsyncer and khal are installed by scripts/install-deps.sh")
def test_vdirsyncer_both_ways_and_khal_reads_the_events(server, tmp_path):
    cal = "/dav/calendars/alice@example.org/default/"
    book = "/dav/addressbooks/alice@example.org/contacts/"
    assert curl(server, "PUT", cal + "server.ics", event("from-server", "20260105T100000Z", "20260105T110000Z",
                                                         summary="Server Event"),
                headers={"Content-Type": "text/calendar"}).status == 201
    assert curl(server, "PUT", book + "server.vcf", vcard("card-server", "Server Person", "sp@example.org"),
                headers={"Content-Type": "text/vcard"}).status == 201
    home = tmp_path / "home"
    calendars, contacts = tmp_path / "calendars", tmp_path / "contacts"
    for d in (home, calendars, contacts):
        d.mkdir()
    config = tmp_path / "vdirsyncer.conf"
    config.write_text(VDIRSYNCER_CONFIG.format(status=tmp_path / "status", calendars=str(calendars) + "/",
                                               contacts=str(contacts) + "/",
                                               url=f"http://127.0.0.1:{server.port('http')}/dav/"))
    env = dict(os.environ, HOME=str(home), VDIRSYNCER_CONFIG=str(config), LC_ALL="C.UTF-8", LANG="C.UTF-8")
    run(["vdirsyncer", "discover"], env, input="y\n" * 10)
    run(["vdirsyncer", "sync"], env)
    local_cal = calendars / "default"
    local_book = contacts / "contacts"
    assert any("Server Event" in p.read_text() for p in local_cal.glob("*.ics"))
    assert any("Server Person" in p.read_text() for p in local_book.glob("*.vcf"))

    # Local changes go up.
    (local_cal / "local.ics").write_text(event("from-local", "20260106T100000Z", "20260106T110000Z",
                                               summary="Local Event"))
    (local_book / "local.vcf").write_text(vcard("card-local", "Local Person", "lp@example.org"))
    run(["vdirsyncer", "sync"], env)
    assert "Local Event" in server_contents(server, cal)
    assert "Local Person" in server_contents(server, book)

    # A change on the server comes down, and a deletion on the server removes the local file.
    assert curl(server, "PUT", cal + "server2.ics", event("from-server-2", "20260107T100000Z", "20260107T110000Z",
                                                          summary="Second Server Event"),
                headers={"Content-Type": "text/calendar"}).status == 201
    assert curl(server, "DELETE", book + "server.vcf").status == 204
    run(["vdirsyncer", "sync"], env)
    assert any("Second Server Event" in p.read_text() for p in local_cal.glob("*.ics"))
    assert not any("Server Person" in p.read_text() for p in local_book.glob("*.vcf"))

    # khal reads the synced calendar.
    khal_config = tmp_path / "khal.conf"
    khal_config.write_text(KHAL_CONFIG.format(calendar=local_cal))
    out = run(["khal", "-c", str(khal_config), "list", "2026-01-05", "2026-01-08"], env)
    for summary in ("Server Event", "Local Event", "Second Server Event"):
        assert summary in out, out
