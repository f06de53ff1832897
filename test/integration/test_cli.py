"""The admin CLI as an admin uses it: clear one-line errors, non-zero exit, nothing changed on bad input."""
import sqlite3
import subprocess

from conftest import BIN


def accounts(server):
    return server.cli("user", "list").stdout.splitlines()


def test_version():
    out = subprocess.run([str(BIN), "--version"], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.startswith("bulwark ")


def test_domains_users_aliases_round_trip(make_server):
    srv = make_server()
    assert srv.cli("domain", "add", "Example.ORG").stdout.strip() == "domain Example.ORG added"
    srv.cli("domain", "add", "b\u00fccher.example")
    assert srv.cli("domain", "list").stdout.split() == ["example.org", "xn--bcher-kva.example"]

    srv.cli("user", "add", "Alice@example.org", "--password-stdin", "--name", "Alice Example", "--quota", "1G",
            input="pw1\n")
    srv.cli("user", "add", "bob@example.org", "--password-stdin", input="pw2\n")
    listed = accounts(srv)
    assert listed[0].split("\t") == ["Alice@example.org", "Alice Example", f"quota={1 << 30}"]
    assert listed[1].startswith("bob@example.org\t")
    assert srv.cli("user", "list", "example.org").stdout.count("\n") == 2

    srv.cli("alias", "add", "sales@example.org", "alice@example.org", "bob@example.org")
    srv.cli("alias", "add", "@example.org", "bob@example.org")
    aliases = srv.cli("alias", "list").stdout.splitlines()
    assert "sales@example.org -> alice@example.org, bob@example.org" in aliases
    assert "@example.org -> bob@example.org" in aliases

    srv.cli("user", "passwd", "bob@example.org", "--password-stdin", input="new-pw\n")
    srv.cli("alias", "remove", "sales@example.org")
    srv.cli("user", "remove", "bob@example.org")
    assert [line.split("\t")[0] for line in accounts(srv)] == ["Alice@example.org"]
    # Removed mail is kept aside, not destroyed.
    assert any((srv.data_dir / "removed").iterdir())


def test_new_account_gets_special_use_mailboxes(make_server):
    srv = make_server()
    srv.add_user("carol@example.org")
    db = sqlite3.connect(srv.data_dir / "accounts" / "1" / "mail.db")
    names = sorted(row[0] for row in db.execute("SELECT name FROM mailbox"))
    assert names == ["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"]


def test_bad_input_is_one_clear_line_and_changes_nothing(make_server):
    srv = make_server()
    srv.add_user("alice@example.org")
    before = (accounts(srv), srv.cli("domain", "list").stdout, srv.cli("alias", "list").stdout)
    cases = [
        (["domain", "add", "not a domain"], "invalid domain"),
        (["domain", "add", "example.org"], "already exists"),
        (["domain", "remove", "example.org"], "still has 1 accounts or aliases"),
        (["domain", "remove", "nowhere.example"], "no domain"),
        (["user", "add", "alice@example.org", "--password-stdin"], "already exists"),
        (["user", "add", "ALICE@example.org", "--password-stdin"], "already exists"),
        (["user", "add", "no-at-sign", "--password-stdin"], "invalid address"),
        (["user", "add", "x@unknown.example", "--password-stdin"], "not a local domain"),
        (["user", "add", "x@example.org", "--quota", "lots"], "--quota"),
        (["user", "passwd", "ghost@example.org", "--password-stdin"], "no account"),
        (["user", "remove", "ghost@example.org"], "no account"),
        (["alias", "add", "alice@example.org", "bob@example.org"], "already exists"),
        (["alias", "add", "x@example.org", "not-an-address"], "invalid target"),
        (["alias", "remove", "ghost@example.org"], "no alias"),
    ]
    for args, expected in cases:
        result = srv.cli(*args, input="pw\n", check=False)
        assert result.returncode != 0, args
        assert result.stderr.count("\n") == 1, (args, result.stderr)
        assert expected in result.stderr, (args, result.stderr)
    for args in (["user", "add", "new@example.org", "--password-stdin"],
                 ["user", "passwd", "alice@example.org", "--password-stdin"]):
        for stdin in ("\n", ""):
            result = srv.cli(*args, input=stdin, check=False)
            assert result.returncode != 0
            assert "password on stdin" in result.stderr
    after = (accounts(srv), srv.cli("domain", "list").stdout, srv.cli("alias", "list").stdout)
    assert before == after


def test_unknown_command_is_a_usage_error(make_server):
    srv = make_server()
    result = srv.cli("frobnicate", check=False)
    assert result.returncode != 0


def test_config_check_prints_listeners(make_server):
    srv = make_server()
    out = srv.cli("config", "check").stdout
    assert f"listen: smtp         127.0.0.1:{srv.port('smtp')}" in out
    assert "(implicit TLS)" in out
    assert "configuration OK" in out


def test_malformed_config_names_the_key(make_server):
    srv = make_server()
    bad = {
        "[limits]\nmax_conections = 5\n": "limits.max_conections: unknown key",
        "[listen]\nsmtp = \"127.0.0.1:0x19\"\n": "listen.smtp",
        "data_dir = 5\n": "data_dir: expected a string",
        "[limits\n": "config:",
    }
    for text, expected in bad.items():
        srv.config_path.write_text(text)
        for args in (["config", "check"], ["domain", "list"], ["serve"]):
            result = srv.cli(*args, check=False)
            assert result.returncode == 1, (text, args)
            assert expected in result.stderr, (text, args, result.stderr)


def test_missing_config_file_is_an_error(make_server, tmp_path):
    result = subprocess.run([str(BIN), "config", "check", "--config", str(tmp_path / "nope.toml")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "does not exist" in result.stderr
