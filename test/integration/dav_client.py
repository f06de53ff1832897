"""Raw DAV requests for the integration tests, sent with curl (a real HTTP client) and parsed with ElementTree."""
import subprocess
import tempfile
import xml.etree.ElementTree as ET

NS = {"d": "DAV:", "c": "urn:ietf:params:xml:ns:caldav", "card": "urn:ietf:params:xml:ns:carddav",
      "cs": "http://calendarserver.org/ns/"}
PASSWORD = "secret-password"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    def xml(self):
        return ET.fromstring(self.body)

    def hrefs(self):
        return [e.text for e in self.xml().findall("d:response/d:href", NS)]

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


def curl(server, method, path, body=None, user="alice@example.org", password=PASSWORD, headers=None,
         scheme="http", extra=None):
    """Sends one request with curl; returns Response(status, lower-cased headers, body text)."""
    port = server.port("https" if scheme == "https" else "http")
    url = path if path.startswith("http") else f"{scheme}://127.0.0.1:{port}{path}"
    with tempfile.NamedTemporaryFile() as head, tempfile.NamedTemporaryFile() as out:
        args = ["curl", "-s", "-k", "--path-as-is", "-X", method, "-D", head.name, "-o", out.name,
                "-w", "%{http_code}", "--max-time", "60"]
        if user is not None:
            args += ["-u", f"{user}:{password}"]
        for name, value in (headers or {}).items():
            args += ["-H", f"{name}: {value}"]
        if body is not None:
            args += ["--data-binary", "@-"]
            if not any(k.lower() == "content-type" for k in (headers or {})):
                args += ["-H", "Content-Type: application/xml; charset=utf-8"]
        args += extra or []
        args.append(url)
        result = subprocess.run(args, input=body.encode() if isinstance(body, str) else body,
                                capture_output=True, timeout=90)
        status = int(result.stdout.decode() or "0")
        parsed = {}
        for line in open(head.name, "rb").read().decode(errors="replace").splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                parsed[k.strip().lower()] = v.strip()
        return Response(status, parsed, open(out.name, "rb").read().decode(errors="replace"))


def event(uid, start, end=None, summary="Meeting", extra=""):
    end_line = f"DTEND:{end}\r\n" if end else ""
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bulwark tests//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\n{end_line}SUMMARY:{summary}\r\n{extra}"
            "END:VEVENT\r\nEND:VCALENDAR\r\n")


def vcard(uid, name, email, version="3.0"):
    return (f"BEGIN:VCARD\r\nVERSION:{version}\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\n"
            f"EMAIL;TYPE=INTERNET:{email}\r\nEND:VCARD\r\n")


CAL = "/dav/calendars/alice@example.org/default/"
BOOK = "/dav/addressbooks/alice@example.org/contacts/"


def calendar_query(start, end, expand=False):
    data = (f'<c:calendar-data><c:expand start="{start}" end="{end}"/></c:calendar-data>' if expand
            else "<c:calendar-data/>")
    return ('<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
            f"<d:prop><d:getetag/>{data}</d:prop><c:filter><c:comp-filter name=\"VCALENDAR\">"
            f'<c:comp-filter name="VEVENT"><c:time-range start="{start}" end="{end}"/></c:comp-filter>'
            "</c:comp-filter></c:filter></c:calendar-query>")
