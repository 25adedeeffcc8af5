"""Install what the integration tests start, before they start: Keystone's virtualenv (with
the LDAP and MySQL drivers), Debian's MariaDB, memcached, slapd and Chromium, and scim2-server's
virtualenv. Each is skipped when present (a dpkg or marker check); one that cannot be installed
is reported, and the tests that need it say so again.

tests/run.sh runs it before the two integration shards: both would otherwise install into one
virtualenv, or take the dpkg lock, at the same moment on a fresh machine. A test started alone
still installs what it needs itself.

Command line: ``python tests/support/install_servers.py``. Only the standard library is used.
"""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
for folder in (HERE, os.path.join(TESTS, 'keystone'), os.path.join(TESTS, 'ldap'), os.path.join(TESTS, 'scim')):
    if folder not in sys.path:
        sys.path.insert(0, folder)

import browser  # noqa: E402
import keystone_server  # noqa: E402
import scim_server  # noqa: E402
import slapd_server  # noqa: E402

STEPS = (
    ('Keystone virtualenv (LDAP, MySQL)', lambda: keystone_server.install(with_ldap=True, with_mysql=True)),
    ('MariaDB', keystone_server.install_mariadb),
    ('memcached', keystone_server.install_memcached),
    ('slapd', slapd_server.install),
    ('Chromium', browser.install),
    ('scim2-server virtualenv', scim_server.install),
)


def main():
    """Each step in turn; one that fails is reported and the others still run (the tests that
    need it then fail, or skip, as they would have)."""
    for label, step in STEPS:
        started = time.monotonic()
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - the tests report it again, where it matters
            print('could not install %s: %s' % (label, exc), flush=True)
            continue
        seconds = time.monotonic() - started
        if seconds >= 1:
            print('installed %s in %.0f s' % (label, seconds), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
