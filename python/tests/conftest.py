"""Shared fixtures of the fortigate Python tests (run by CTest: python-*)."""
import os

import pytest

import fortigate
from fortigate import _paths

CORPUS = os.path.join(_paths.source_dir(), "..", "shared", "corpus", "pcap")
CONFIGS = os.path.join(_paths.source_dir(), "examples", "configs")


@pytest.fixture
def corpus():
    """Path of a capture of the shared corpus (the test is skipped when it is absent)."""
    def path(name):
        p = os.path.join(CORPUS, name)
        if not os.path.exists(p):
            pytest.skip("corpus capture %s not present" % p)
        return p
    return path


@pytest.fixture
def config_text():
    def read(name):
        with open(os.path.join(CONFIGS, name)) as f:
            return f.read()
    return read
