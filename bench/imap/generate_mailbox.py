#!/usr/bin/python3
"""Deterministic mailbox of realistic mail for the IMAP benchmark (docs/benchmarks.md, "IMAP: Bulwark vs Dovecot").

Writes OUT/00001.eml ... OUT/NNNNN.eml (CRLF line endings, as APPEND sends them) and OUT/index.tsv with one line
per message: file name, IMAP flags (space-separated, may be empty) and the INTERNALDATE, tab-separated. The same
seed always gives the same bytes (random.Random only; no clock, no environment), so both servers get the same mail.

What "realistic" means here (the proportions are the generator's, chosen after the shape of an ordinary work
mailbox, not measured from one):
  sizes    about 10 % under 2 KiB, 70 % 2-20 KiB, 15 % 20-100 KiB, 5 % 100 KiB-2 MiB (attachments);
  shapes   text/plain, multipart/alternative (text + HTML), multipart/mixed with base64 attachments (PDF, PNG, ZIP,
           with RFC 2231 file names), nested mixed > related > alternative with inline images, message/rfc822
           forwards, quoted-printable UTF-8 and ISO-8859-1 bodies;
  headers  Received chains, DKIM-Signature, Message-ID, Date, From/To/Cc with display names (some RFC 2047),
           RFC 2047 subjects (B and Q, UTF-8 and ISO-8859-1), List-Id, X-Mailer;
  threads  about 40 % are replies (In-Reply-To, References, "Re:") to a recent message;
  flags    about 80 % \\Seen, 5 % \\Flagged, 10 % \\Answered.
The word "quarterly" (see SEARCH_WORD) is put in the text of about 3 % of the messages, so that SEARCH BODY has
something to find (and the count is printed, to check both servers answer the same).

usage: generate_mailbox.py OUT [--count 10000] [--seed 1]
"""
import argparse
import base64
import datetime
import email.utils
import os
import quopri
import random
import sys

SEARCH_WORD = "quarterly"

WORDS = ("the of and to in is that for it as was with be by on not he this are or his from at which but have an "
         "they you were her she there would their we him been has when who will more no if out so said what up its "
         "about into than them can only other new some could time these two may then do first any my now such like "
         "our over man me even most made after also did many before must through back years where much your way "
         "well down should because each just those people how too little state good very make world still own see "
         "men work long get here between both life being under never day same another know while last might us "
         "great old year off come since against go came right used take three meeting project budget review "
         "release customer deadline schedule report invoice contract server deploy migration design proposal "
         "agenda minutes feedback draft approval estimate roadmap backlog ticket incident outage capacity").split()
NON_ASCII = ("Grüße für München Straße Übersicht Änderung Besprechung naïve café résumé déjà vu façade "
             "Привет встреча отчёт проект 会議 報告 資料 予定 東京 ありがとう 확인 회의 ολοκληρώθηκε").split()
FIRST = "Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Mallory Niaj Olivia Peggy Rupert Sybil Trent Victor " \
        "Walter Zoë José Jürgen Françoise Søren Łukasz Ángel Мария 太郎".split()
LAST = "Smith Jones Müller García Rossi Dubois Nowak Kowalski Tanaka Kim Ivanova Andersen Novák O'Brien".split()
DOMAINS = ["example.com", "example.org", "example.net", "corp.example", "mail.example.de", "lists.example.org"]
AGENTS = ["Mozilla Thunderbird 115.6.0", "Microsoft Outlook 16.0", "Apple Mail (2.3731.700.6)",
          "Roundcube Webmail/1.6.5", "Evolution 3.46.4", "K-9 Mail for Android"]
LISTS = ["dev.lists.example.org", "announce.lists.example.org", "users.lists.example.org"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.people = []
        for i in range(120):
            first, last = self.r.choice(FIRST), self.r.choice(LAST)
            local = (first + "." + last).lower().encode("ascii", "ignore").decode() or "user%d" % i
            local = local.replace("'", "") + str(i)
            self.people.append((first + " " + last, local + "@" + self.r.choice(DOMAINS)))
        self.me = ("Bench User", "bench@example.org")
        self.sent = []  # (message-id, subject, references)
        self.date = datetime.datetime(2024, 1, 2, 8, 0, 0, tzinfo=datetime.timezone.utc)
        self.found = 0

    # --- text -------------------------------------------------------------------------------------------------
    def sentence(self, non_ascii=False):
        n = self.r.randint(6, 18)
        words = [self.r.choice(NON_ASCII) if non_ascii and self.r.random() < 0.25 else self.r.choice(WORDS)
                 for _ in range(n)]
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraphs(self, size, non_ascii=False, word=False):
        out, total = [], 0
        while total < size:
            p = " ".join(self.sentence(non_ascii) for _ in range(self.r.randint(2, 6)))
            out.append(p)
            total += len(p.encode()) + 2
        if word:
            i = self.r.randrange(len(out))
            out[i] = "The " + SEARCH_WORD + " numbers are attached. " + out[i]
        return out

    def wrap(self, paragraph, width=72):
        lines, line = [], ""
        for w in paragraph.split(" "):
            if line and len(line) + 1 + len(w) > width:
                lines.append(line)
                line = w
            else:
                line = (line + " " + w) if line else w
        if line:
            lines.append(line)
        return lines

    def plain_text(self, size, non_ascii, word, quote=None):
        lines = []
        for p in self.paragraphs(size, non_ascii, word):
            lines += self.wrap(p) + [""]
        if quote:
            lines.append("On %s, someone wrote:" % email.utils.format_datetime(self.date - datetime.timedelta(days=1)))
            lines += ["> " + l for l in quote[:40]]
        lines += ["-- ", self.me[0], "+49 30 1234567"]
        return "\n".join(lines) + "\n"

    def html_of(self, text):
        body = "".join("<p>%s</p>\n" % p.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>\n")
                       for p in text.split("\n\n"))
        return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><style>body{font-family:Arial,sans-serif;"
                "font-size:14px}p{margin:0 0 1em}</style></head>\n<body>\n" + body + "</body></html>\n")

    # --- encodings --------------------------------------------------------------------------------------------
    def encoded_word(self, text):
        """RFC 2047 for a header value that is not ASCII: B or Q, UTF-8 or (where it fits) ISO-8859-1."""
        try:
            text.encode("ascii")
            return text
        except UnicodeEncodeError:
            pass
        charset = "utf-8"
        try:
            raw = text.encode("iso-8859-1")
            if self.r.random() < 0.3:
                charset = "iso-8859-1"
            else:
                raw = text.encode("utf-8")
        except UnicodeEncodeError:
            raw = text.encode("utf-8")
        if self.r.random() < 0.5:
            chunks = [raw[i:i + 36] for i in range(0, len(raw), 36)]
            return "\r\n ".join("=?%s?B?%s?=" % (charset, base64.b64encode(c).decode()) for c in chunks)
        tokens = [chr(b) if (0x30 <= b <= 0x39 or 0x41 <= b <= 0x5a or 0x61 <= b <= 0x7a) else
                  "_" if b == 0x20 else "=%02X" % b for b in raw]
        parts, part = [], ""
        for t in tokens:  # never split an =XX escape (nor, harmlessly, a UTF-8 sequence's escapes)
            if len(part) + len(t) > 60:
                parts.append(part)
                part = ""
            part += t
        parts.append(part)
        return "\r\n ".join("=?%s?Q?%s?=" % (charset, p) for p in parts)

    def address(self, person):
        name, addr = person
        shown = self.encoded_word(name)
        if shown == name and any(c in name for c in "'.,"):
            shown = '"%s"' % name
        return "%s <%s>" % (shown, addr)

    def body_part(self, ctype, text, charset="utf-8"):
        """Headers + encoded body of one text part; QP if it is not ASCII."""
        raw = text.encode(charset, "replace")
        try:
            raw.decode("ascii")
            return ["Content-Type: %s; charset=%s" % (ctype, "us-ascii"), "Content-Transfer-Encoding: 7bit"], \
                text.replace("\n", "\r\n")
        except UnicodeDecodeError:
            pass
        qp = quopri.encodestring(raw.replace(b"\n", b"\r\n")).decode("ascii")
        return ["Content-Type: %s; charset=%s" % (ctype, charset), "Content-Transfer-Encoding: quoted-printable"], qp

    def attachment(self, size):
        kind = self.r.choice(["pdf", "png", "zip", "docx", "jpg"])
        ctype = {"pdf": "application/pdf", "png": "image/png", "zip": "application/zip", "jpg": "image/jpeg",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[kind]
        stem = self.r.choice(["report", "invoice", "scan", "Übersicht", "photo", "slides", "Besprechung",
                              "contract", "報告"])
        name = "%s-%d.%s" % (stem, self.r.randint(1, 999), kind)
        data = self.r.randbytes(max(64, size * 3 // 4))
        b64 = base64.encodebytes(data).decode("ascii").replace("\n", "\r\n")
        try:
            name.encode("ascii")
            disp = 'attachment; filename="%s"' % name
            ct = '%s; name="%s"' % (ctype, name)
        except UnicodeEncodeError:
            from urllib.parse import quote
            disp = "attachment;\r\n filename*=utf-8''%s" % quote(name)
            ct = '%s; name="%s"' % (ctype, self.encoded_word(name).replace("\r\n ", ""))
        headers = ["Content-Type: " + ct, "Content-Disposition: " + disp, "Content-Transfer-Encoding: base64"]
        return headers, b64

    def boundary(self):
        return "----=_Part_%d_%d.%d" % (self.r.randint(1, 99999), self.r.randint(1, 2**31), self.r.randint(1, 2**40))

    @staticmethod
    def multipart(subtype, parts, boundary):
        out = []
        for headers, body in parts:
            out.append("--" + boundary + "\r\n" + "\r\n".join(headers) + "\r\n\r\n" + body.rstrip("\r\n") + "\r\n")
        return (["Content-Type: multipart/%s;\r\n boundary=\"%s\"" % (subtype, boundary)],
                "This is a multi-part message in MIME format.\r\n\r\n" + "".join(out) + "--" + boundary + "--\r\n")

    # --- messages ---------------------------------------------------------------------------------------------
    def target_size(self):
        x = self.r.random()
        if x < 0.10:
            return self.r.randint(600, 2048)
        if x < 0.80:
            return int(min(20480, max(2048, self.r.lognormvariate(8.7, 0.6))))
        if x < 0.95:
            return self.r.randint(20480, 102400)
        return int(min(2 << 20, max(100 << 10, self.r.lognormvariate(12.6, 0.8))))

    def content(self, size, non_ascii, word, quote):
        """(headers, body) of the message content, about `size` octets."""
        shape = self.r.random()
        text_budget = size if size < 20480 or shape < 0.35 else self.r.randint(1500, 6000)
        text = self.plain_text(max(200, int(text_budget * 0.55)), non_ascii, word, quote)
        charset = "utf-8"
        if non_ascii and self.r.random() < 0.2:
            try:
                text.encode("iso-8859-1")
                charset = "iso-8859-1"
            except UnicodeEncodeError:
                pass
        if size >= 20480 and shape >= 0.35:
            shape = 0.5 + shape / 2  # big messages carry attachments
        if shape < 0.35:
            return self.body_part("text/plain", text, charset)
        alt = self.multipart("alternative", [self.body_part("text/plain", text, charset),
                                             self.body_part("text/html", self.html_of(text))], self.boundary())
        if shape < 0.65:
            return alt
        rest = max(512, size - len(text) * 2)
        if shape < 0.72:  # nested: mixed > related > (alternative, inline image) + attachment
            img_h, img_b = self.attachment(min(rest // 3, 40000))
            img_h = [h.replace("attachment", "inline") for h in img_h] + ["Content-ID: <img%d@bench>" % self.r.randint(1, 1 << 30)]
            related = self.multipart("related", [alt, (img_h, img_b)], self.boundary())
            return self.multipart("mixed", [related, self.attachment(max(256, rest - rest // 3))], self.boundary())
        n = 1 if self.r.random() < 0.7 else self.r.randint(2, 3)
        return self.multipart("mixed", [alt] + [self.attachment(max(256, rest // n)) for _ in range(n)],
                              self.boundary())

    def message(self, index):
        r = self.r
        self.date += datetime.timedelta(seconds=r.randint(60, 5400))
        non_ascii = r.random() < 0.15
        word = r.random() < 0.03
        size = self.target_size()
        sender = r.choice(self.people)
        to = [self.me] + ([r.choice(self.people)] if r.random() < 0.3 else [])
        cc = [r.choice(self.people) for _ in range(r.randint(1, 3))] if r.random() < 0.3 else []
        parent = r.choice(self.sent[-200:]) if self.sent and r.random() < 0.4 else None
        if parent:
            subject = parent[1] if parent[1].startswith("Re: ") else "Re: " + parent[1]
            references = (parent[2] + [parent[0]])[-12:]
        else:
            subject = " ".join(r.choice(NON_ASCII if non_ascii and r.random() < 0.4 else WORDS)
                               for _ in range(r.randint(3, 9))).capitalize()
            references = []
        msgid = "<%d.%x.%d@%s>" % (index, r.getrandbits(48), r.randint(1, 999), sender[1].split("@")[1])
        self.sent.append((msgid, subject, references))
        quote = None
        if parent and r.random() < 0.7:
            quote = self.wrap(self.sentence() + " " + self.sentence())
        forward = r.random() < 0.05 and size < 200000
        if forward:
            inner_h, inner_b = self.content(max(600, size - 1500), non_ascii, word, None)
            inner_sender = r.choice(self.people)
            inner = ["From: " + self.address(inner_sender), "To: " + self.address(sender),
                     "Subject: " + self.encoded_word("Original: " + subject),
                     "Date: " + email.utils.format_datetime(self.date - datetime.timedelta(days=r.randint(1, 30))),
                     "Message-ID: <fwd%d.%x@example.net>" % (index, r.getrandbits(32)), "MIME-Version: 1.0"] + inner_h
            note = self.body_part("text/plain", "FYI, see below.\n\n" + self.sentence() + "\n")
            headers, body = self.multipart("mixed", [note, (["Content-Type: message/rfc822",
                                                              "Content-Disposition: inline"],
                                                             "\r\n".join(inner) + "\r\n\r\n" + inner_b)],
                                           self.boundary())
            subject = "Fwd: " + subject
        else:
            headers, body = self.content(size, non_ascii, word, quote)
        self.found += word
        date = email.utils.format_datetime(self.date.astimezone(datetime.timezone(datetime.timedelta(hours=r.choice([-5, 0, 1, 2, 9])))))
        hops = []
        t = self.date
        for h in range(r.randint(2, 4)):
            t -= datetime.timedelta(seconds=r.randint(1, 30))
            hops.append("Received: from mx%d.%s (mx%d.%s [192.0.2.%d])\r\n\tby mail.example.org (Bulwark) with ESMTPS id %x\r\n"
                        "\tfor <bench@example.org>; %s" % (h, sender[1].split("@")[1], h, sender[1].split("@")[1],
                                                           r.randint(1, 254), r.getrandbits(40),
                                                           email.utils.format_datetime(t)))
        lines = ["Return-Path: <%s>" % sender[1]] + hops
        if r.random() < 0.6:
            sig = base64.b64encode(r.randbytes(128)).decode()
            lines.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=s2024;\r\n\th=from:to:subject:date:message-id;"
                         " bh=%s;\r\n\tb=%s\r\n\t %s" % (sender[1].split("@")[1], base64.b64encode(r.randbytes(32)).decode(),
                                                         sig[:80], sig[80:]))
        lines += ["Message-ID: " + msgid, "Date: " + date, "From: " + self.address(sender),
                  "To: " + ",\r\n\t".join(self.address(p) for p in to)]
        if cc:
            lines.append("Cc: " + ",\r\n\t".join(self.address(p) for p in cc))
        lines.append("Subject: " + self.encoded_word(subject))
        if parent:
            lines.append("In-Reply-To: " + parent[0])
            lines.append("References: " + "\r\n ".join(references))
        if r.random() < 0.15:
            lst = r.choice(LISTS)
            lines += ["List-Id: <%s>" % lst, "List-Unsubscribe: <mailto:leave@%s>" % lst, "Precedence: list"]
        lines += ["X-Mailer: " + r.choice(AGENTS), "MIME-Version: 1.0"] + headers
        raw = "\r\n".join(lines) + "\r\n\r\n" + body
        if not raw.endswith("\r\n"):
            raw += "\r\n"
        flags = []
        if r.random() < 0.8:
            flags.append("\\Seen")
        if r.random() < 0.10:
            flags.append("\\Answered")
        if r.random() < 0.05:
            flags.append("\\Flagged")
        return raw.encode("utf-8"), flags, self.date


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    g = Gen(a.seed)
    total = 0
    sizes = []
    with open(os.path.join(a.out, "index.tsv"), "w") as index:
        for i in range(1, a.count + 1):
            raw, flags, date = g.message(i)
            name = "%05d.eml" % i
            with open(os.path.join(a.out, name), "wb") as f:
                f.write(raw)
            index.write("%s\t%s\t%s\n" % (name, " ".join(flags), date.strftime("%d-%b-%Y %H:%M:%S +0000")))
            total += len(raw)
            sizes.append(len(raw))
    sizes.sort()
    q = lambda p: sizes[min(len(sizes) - 1, int(p * len(sizes)))]
    print("generated %d messages, %.1f MiB; size p10 %d, p50 %d, p90 %d, p99 %d, max %d; '%s' in %d"
          % (a.count, total / 2**20, q(.1), q(.5), q(.9), q(.99), sizes[-1], SEARCH_WORD, g.found))


if __name__ == "__main__":
    sys.exit(main())
