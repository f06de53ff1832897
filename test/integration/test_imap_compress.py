"""COMPRESS=DEFLATE (RFC 4978) with imaplib, its socket I/O wrapped in zlib raw deflate (imapx_support): commands
and large responses round-trip through compression above TLS; COMPRESS twice is NO [COMPRESSIONACTIVE]; a
broken deflate stream ends only that connection."""
import zlib

from imapx_support import DeflateIMAP4, Raw, message, tagged, tls_context


def compressed_client(server):
    client = DeflateIMAP4("127.0.0.1", server.port("imap"))
    client.starttls(ssl_context=tls_context())
    client.login("alice@example.org", "secret-password")
    assert "COMPRESS=DEFLATE" in client.capabilities
    typ, data = client.compress()
    assert typ == "OK", data
    return client


def test_compressed_session_round_trips_commands_and_big_messages(server):
    client = compressed_client(server)
    big = message("big one", size=600_000)
    assert client.append("INBOX", None, None, big)[0] == "OK"
    assert client.append("INBOX", None, None, message("small one"))[0] == "OK"
    typ, data = client.select("INBOX")
    assert typ == "OK" and data == [b"2"]
    typ, data = client.fetch("1", "(BODY.PEEK[])")
    assert typ == "OK" and data[0][1] == big
    typ, data = client.search(None, "SUBJECT", '"small one"')
    assert typ == "OK" and data == [b"2"]
    typ, data = client.noop()
    assert typ == "OK"
    typ, data = client._simple_command("COMPRESS", "DEFLATE")
    assert typ == "NO" and b"[COMPRESSIONACTIVE]" in data[-1]
    # The capability is no longer offered once active.
    typ, data = client.capability()
    assert b"COMPRESS=DEFLATE" not in data[0]
    client.logout()


def test_unknown_mechanism_is_bad_and_compress_needs_authentication(server):
    raw = Raw(server.port("imap"))
    assert tagged(raw.command("c", "COMPRESS DEFLATE")).startswith("c BAD")
    raw.login()
    assert tagged(raw.command("c", "COMPRESS LZ4")).startswith("c BAD")
    raw.close()


def test_a_broken_deflate_stream_ends_only_that_connection(server):
    raw = Raw(server.port("imap"))
    raw.login()
    assert tagged(raw.command("c", "COMPRESS DEFLATE")).startswith("c OK")
    raw.send(b"\xff" * 64)  # not a valid deflate block
    assert raw.closed()
    # The server is fine: a new compressed session works.
    raw = Raw(server.port("imap"))
    raw.login()
    assert tagged(raw.command("c", "COMPRESS DEFLATE")).startswith("c OK")
    deflater, inflater = zlib.compressobj(6, zlib.DEFLATED, -15), zlib.decompressobj(-15)
    raw.send(deflater.compress(b"n NOOP\r\n") + deflater.flush(zlib.Z_SYNC_FLUSH))
    data = b""
    while b"n OK" not in data:
        data += inflater.decompress(raw.recv())
    assert data.endswith(b"\r\n")
    raw.close()
