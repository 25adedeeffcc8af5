"""Unit-test fixtures: the collection on sys.path, and a real local HTTP server with scripted answers."""

import os
import sys

import pytest

_HERE = os.path.dirname(os.path.abspath(__file__))
# <root>/ansible_collections/iamops/identity/tests/unit/conftest.py -> <root>
_ROOT = os.path.abspath(os.path.join(_HERE, *([os.pardir] * 5)))
for _path in (_ROOT, os.path.join(_HERE, os.pardir, 'support')):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from scripted_server import ScriptedServer  # noqa: E402


@pytest.fixture
def tls_server(tmp_path):
    srv = ScriptedServer(tls_dir=tmp_path)
    yield srv
    srv.close()


@pytest.fixture
def server():
    srv = ScriptedServer()
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def _module_side():
    """Module code runs in-process here as it does on a target: importing a controller plugin
    (the filter and lookup tests do) flips ansible-core's process-wide ``is_controller`` switch,
    which sends module warnings to the controller's display instead of the module's result."""
    from ansible.module_utils import _internal
    before = getattr(_internal, 'is_controller', False)
    _internal.is_controller = False
    yield
    _internal.is_controller = before
