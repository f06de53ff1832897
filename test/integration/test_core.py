"""The async core seen through a real protocol listener (SMTP): connection limits, timeouts, graceful shutdown,
and admin changes that a running server sees at once."""
import signal
import smtplib
import socket
import time


def connect(srv, protocol="smtp"):
    sock = socket.create_connection(("127.0.0.1", srv.port(protocol)), timeout=10)
    return sock, sock.makefile("rb")


def test_per_ip_connection_limit_refuses_with_421_and_keeps_serving(make_server):
    srv = make_server({"limits": {"max_connections_per_ip": 3}})
    srv.add_user("alice@example.org")
    srv.start()
    held = [connect(srv) for _ in range(3)]
    for sock, reader in held:
        assert reader.readline().startswith(b"220")
    sock, reader = connect(srv)
    line = reader.readline()
    assert line.startswith(b"421 4.7.0"), line
    assert b"too many connections from your address" in line
    assert reader.readline() == b""  # closed
    srv.wait_for_log("refused: too many connections from your address")
    # A freed slot is usable again, and the held connections still work.
    held[0][1].close()  # makefile() keeps the socket open until it is closed too
    held[0][0].close()
    srv.wait_for_log("disconnect")
    time.sleep(0.2)
    sock, reader = connect(srv)
    assert reader.readline().startswith(b"220")
    held[1][0].sendall(b"NOOP\r\n")
    assert held[1][1].readline().startswith(b"250")


def test_total_connection_limit(make_server):
    srv = make_server({"limits": {"max_connections": 2}})
    srv.start()
    held = [connect(srv) for _ in range(2)]
    for _, reader in held:
        assert reader.readline().startswith(b"220")
    _, reader = connect(srv)
    assert reader.readline().startswith(b"421")


def test_idle_timeout_closes_with_421(make_server):
    srv = make_server({"limits": {"idle_timeout": 1}})
    srv.start()
    sock, reader = connect(srv)
    assert reader.readline().startswith(b"220")
    started = time.time()
    line = reader.readline()
    assert line.startswith(b"421 4.4.2"), line
    assert time.time() - started < 8
    assert reader.readline() == b""


def test_session_timeout_caps_a_busy_connection(make_server):
    srv = make_server({"limits": {"session_timeout": 2, "idle_timeout": 60}})
    srv.start()
    sock, reader = connect(srv)
    assert reader.readline().startswith(b"220")
    deadline = time.time() + 10
    closed = False
    while time.time() < deadline:
        try:
            sock.sendall(b"NOOP\r\n")
            line = reader.readline()
        except OSError:
            closed = True
            break
        if not line.startswith(b"250"):
            closed = True
            break
        time.sleep(0.2)
    assert closed


def test_sigterm_drains_sessions_with_421_and_exits_zero(server):
    sock, reader = connect(server)
    assert reader.readline().startswith(b"220")
    server.proc.send_signal(signal.SIGTERM)
    line = reader.readline()
    assert line.startswith(b"421"), line
    assert server.proc.wait(timeout=20) == 0
    assert "shutdown complete" in server.log()


def test_admin_changes_apply_to_the_running_server(server):
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as client:
        client.ehlo("client.test")
        client.mail("sender@remote.test")
        code, _ = client.rcpt("carol@example.org")
        assert code == 550
    server.add_user("carol@example.org")
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as client:
        client.ehlo("client.test")
        client.mail("sender@remote.test")
        code, _ = client.rcpt("carol@example.org")
        assert code == 250
    server.cli("user", "remove", "carol@example.org")
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as client:
        client.ehlo("client.test")
        client.mail("sender@remote.test")
        code, _ = client.rcpt("carol@example.org")
        assert code == 550


def test_logs_carry_connection_id_peer_and_user(server):
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as client:
        client.ehlo("client.test")
    server.wait_for_log("disconnect")
    lines = [l for l in server.log().splitlines() if "[smtp c=" in l]
    assert lines
    assert all("peer=127.0.0.1:" in l for l in lines)
