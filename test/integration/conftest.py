"""Integration test harness: starts the real `bulwark` binary on free loopback ports with a temporary data_dir
and lets tests talk to it with real clients (smtplib, imaplib, curl, swaks ...).

The binary is $BULWARK_BIN, or build/src/app/bulwark relative to the repository root.
"""
import os
import pathlib
import signal
import socket
import subprocess
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("BULWARK_BIN", ROOT / "build" / "src" / "app" / "bulwark"))
PROTOCOLS = ["smtp", "submission", "submissions", "imap", "imaps", "pop3s", "http", "https"]


def free_port():
    return free_ports(1)[0]


def free_ports(count):
    """Distinct free ports: all sockets are held open until every port is chosen, so none repeats."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


class Bulwark:
    """One server instance: its config file, data_dir, ports, process and log."""

    def __init__(self, workdir, overrides=None, protocols=PROTOCOLS):
        self.workdir = pathlib.Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.workdir / "data"
        self.config_path = self.workdir / "bulwark.toml"
        self.log_path = self.workdir / "server.log"
        self.ports = dict(zip(protocols, free_ports(len(protocols))))
        self.proc = None
        # Defaults chosen for fast, deterministic tests: a cheap argon2id cost and short throttle delays.
        self.settings = {
            "": {"data_dir": str(self.data_dir), "hostname": "mail.test", "user": "", "log_level": "debug"},
            "listen": {p: f"127.0.0.1:{port}" for p, port in self.ports.items()},
            "auth": {"hash_memory": "64K", "hash_passes": 1, "base_delay_ms": 0, "max_delay_ms": 0},
            # Queued mail stays queued unless a test turns delivery on (test_outbound_*.py, with its own DNS).
            "delivery": {"enabled": False},
        }
        for section, values in (overrides or {}).items():
            self.settings.setdefault(section, {}).update(values)
        self.write_config()

    def write_config(self):
        lines = []
        for key, value in self.settings.get("", {}).items():
            lines.append(f"{key} = {toml_value(value)}")
        for section, values in self.settings.items():
            if section == "" or not values:
                continue
            lines.append(f"[{section}]")
            lines.extend(f"{k} = {toml_value(v)}" for k, v in values.items())
        self.config_path.write_text("\n".join(lines) + "\n")

    def cli(self, *args, input=None, check=True):
        """Runs `bulwark ARGS --config FILE`; returns the CompletedProcess."""
        result = subprocess.run([str(BIN), *args, "--config", str(self.config_path)], input=input,
                                capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"bulwark {' '.join(args)} failed: {result.stderr}")
        return result

    def add_user(self, address, password="secret-password", **kwargs):
        domain = address.split("@", 1)[1]
        if domain not in self.cli("domain", "list").stdout.split():
            self.cli("domain", "add", domain)
        extra = []
        for key, value in kwargs.items():
            extra += [f"--{key}", str(value)]
        self.cli("user", "add", address, "--password-stdin", *extra, input=password + "\n")

    def start(self, wait_for="ready:"):
        self.log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen([str(BIN), "serve", "--config", str(self.config_path)],
                                     stdout=self.log_file, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if wait_for in self.log():
                return self
            if self.proc.poll() is not None:
                raise AssertionError(f"bulwark exited with {self.proc.returncode}:\n{self.log()}")
            time.sleep(0.05)
        raise AssertionError(f"bulwark did not become ready:\n{self.log()}")

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log_file.close()
        return self.proc.returncode if self.proc else None

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_for_log(self, text, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if text in self.log():
                return True
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not in log:\n{self.log()}")

    def port(self, protocol):
        return self.ports[protocol]


@pytest.fixture
def make_server(tmp_path):
    """Factory: make_server(overrides={section: {key: value}}) -> a configured, not yet started Bulwark."""
    servers = []

    def make(overrides=None, name="srv", protocols=PROTOCOLS):
        server = Bulwark(tmp_path / f"{name}{len(servers)}", overrides, protocols)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def server(make_server):
    """A started server with domain example.org and users alice and bob (password 'secret-password')."""
    srv = make_server()
    srv.add_user("alice@example.org", name="Alice Example")
    srv.add_user("bob@example.org")
    return srv.start()
