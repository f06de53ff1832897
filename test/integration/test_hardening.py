"""The binary is built hardened: PIE, full RELRO, stack protector, FORTIFY_SOURCE (release build only)."""
import os
import subprocess

import pytest

from conftest import BIN


def readelf(*args):
    return subprocess.run(["readelf", *args, str(BIN)], capture_output=True, text=True, check=True).stdout


def test_pie_and_full_relro():
    assert "Position-Independent Executable" in readelf("-h")
    assert "GNU_RELRO" in readelf("-l")
    dynamic = readelf("-d")
    assert "BIND_NOW" in dynamic and "PIE" in dynamic


def test_stack_is_not_executable():
    for line in readelf("-lW").splitlines():
        if "GNU_STACK" in line:
            assert "RWE" not in line
            break
    else:
        pytest.fail("no GNU_STACK header")


def test_stack_protector_and_fortify():
    symbols = subprocess.run(["nm", "-D", str(BIN)], capture_output=True, text=True, check=True).stdout
    assert "__stack_chk_fail" in symbols
    if "asan" not in str(BIN):  # _FORTIFY_SOURCE is off in sanitizer builds, which check memory themselves
        names = [word.split("@")[0] for word in symbols.split()]
        assert any(name.endswith("_chk") and "stack" not in name for name in names)
