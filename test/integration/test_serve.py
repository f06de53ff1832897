"""`bulwark serve`: start-up, sandbox, reload and shutdown as an admin sees them."""
import os
import pathlib
import pwd
import shutil
import signal
import subprocess
import tempfile

import pytest


def proc_status(pid):
    fields = {}
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def test_starts_logs_protections_and_stops_cleanly_on_sigterm(server):
    log = server.log()
    assert "sandbox: seccomp: execve and execveat refused (verified)" in log
    assert server.stop(signal.SIGTERM) == 0
    assert "SIGTERM: shutting down" in server.log()
    assert "bulwark stopped" in server.log()


def test_exec_is_refused_inside_the_running_server(server):
    status = proc_status(server.proc.pid)
    # Seccomp 2 = filter mode, installed on every thread; NoNewPrivs is required for it and for Landlock.
    assert status["Seccomp"] == "2"
    assert int(status.get("Seccomp_filters", "1")) >= 1
    assert status["NoNewPrivs"] == "1"
    for task in pathlib.Path(f"/proc/{server.proc.pid}/task").iterdir():
        assert proc_status(f"{server.proc.pid}/task/{task.name}")["Seccomp"] == "2"


def test_landlock_is_reported(server):
    abi_line = [l for l in server.log().splitlines() if "sandbox:" in l and "landlock" in l]
    assert abi_line, server.log()
    assert "sandbox: landlock (ABI" in abi_line[0] or "not supported" in abi_line[0]


def test_self_signed_certificate_generated_on_first_start(server):
    cert = server.data_dir / "tls" / "self-signed.crt"
    key = server.data_dir / "tls" / "self-signed.key"
    assert cert.exists() and key.exists()
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    text = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-text"], capture_output=True,
                          text=True, check=True).stdout
    assert "DNS:mail.test" in text


def test_sighup_reloads_and_a_bad_config_keeps_the_old_one(server):
    server.settings[""]["log_level"] = "info"
    server.write_config()
    server.proc.send_signal(signal.SIGHUP)
    server.wait_for_log("reload: done")
    server.config_path.write_text("bogus_key = 1\n" + server.config_path.read_text())
    server.proc.send_signal(signal.SIGHUP)
    server.wait_for_log("reload failed, keeping the running configuration: config: bogus_key: unknown key")
    assert server.proc.poll() is None


def test_port_in_use_is_a_clear_error(make_server):
    first = make_server()
    first.start()
    second = make_server()
    second.settings["listen"] = dict(first.settings["listen"])
    second.write_config()
    result = second.cli("serve", check=False)
    assert result.returncode == 1
    assert "Address already in use" in result.stderr or "address already in use" in result.stderr.lower()


@pytest.mark.skipif(os.geteuid() != 0, reason="privilege drop needs root")
def test_started_as_root_it_drops_to_the_service_user(make_server):
    user = "bulwark"
    try:
        pwd.getpwnam(user)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user], check=True)
    # A world-traversable directory, so the service user can reach its data_dir and config.
    base = pathlib.Path(tempfile.mkdtemp(prefix="bulwark-root-"))
    base.chmod(0o755)
    try:
        srv = make_server()
        srv.workdir = base
        srv.data_dir = base / "data"
        srv.config_path = base / "bulwark.toml"
        srv.log_path = base / "server.log"
        srv.settings[""].update({"user": user, "data_dir": str(srv.data_dir)})
        srv.write_config()
        srv.config_path.chmod(0o644)
        srv.add_user("alice@example.org")  # the CLI, as root, also acts as the service user
        srv.start()
        assert "privileges dropped to user bulwark" in srv.log()
        uid = pwd.getpwnam(user).pw_uid
        status = proc_status(srv.proc.pid)
        assert status["Uid"].split() == [str(uid)] * 4
        assert all(p.stat().st_uid == uid for p in srv.data_dir.rglob("*"))
        assert srv.stop() == 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_unknown_service_user_refuses_to_start_as_root(make_server):
    if os.geteuid() != 0:
        pytest.skip("needs root")
    srv = make_server()
    srv.settings[""]["user"] = "no-such-user-xyz"
    srv.write_config()
    result = srv.cli("serve", check=False)
    assert result.returncode == 1
    assert "does not exist" in result.stderr
