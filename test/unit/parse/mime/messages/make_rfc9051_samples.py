#!/usr/bin/env python3
"""Writes the two samples that reproduce the RFC 9051 7.5.2 ENVELOPE and BODY examples byte for byte.

Sample files use LF; the tests turn LF into CRLF, so the sizes below are counted with CRLF line ends.
"""

def text_lines(count, length, last_length):
    lines = [("%03d " % i + "x" * length)[:length] for i in range(count - 1)]
    lines.append(("END " + "y" * last_length)[:last_length])
    return lines

# ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92): 91 lines of 31 + CRLF, 1 of 23 + CRLF.
envelope = """Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)
From: Terry Gray <gray@cac.washington.edu>
Subject: IMAP4rev2 WG mtg summary and minutes
To: imap@cac.washington.edu
cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>
Message-Id: <B27397-0100000@cac.washington.edu>
MIME-Version: 1.0
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII

""" + "\n".join(text_lines(92, 31, 23)) + "\n"
open("rfc9051_envelope.eml", "w").write(envelope)

# Part 1: 1152 octets, 23 lines (22 of 48 + CRLF, 1 of 50 + CRLF).
# Part 2: 4554 octets, 73 lines (66 of 60 + CRLF, 7 of 64 + CRLF), base64 alphabet only.
b64 = ["QUJD" * 15] * 66 + ["ZGVm" * 16] * 7
multipart = """From: Terry Gray <gray@cac.washington.edu>
Subject: diff
MIME-Version: 1.0
Content-Type: MULTIPART/MIXED; BOUNDARY="sep"

--sep
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII

""" + "\n".join(text_lines(23, 48, 50)) + """

--sep
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff
Content-ID: <960723163407.20117h@cac.washington.edu>
Content-Description: Compiled diff
Content-Transfer-Encoding: BASE64

""" + "\n".join(b64) + """

--sep--
"""
open("rfc9051_multipart.eml", "w").write(multipart)
