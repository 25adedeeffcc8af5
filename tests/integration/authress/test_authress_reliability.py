"""Authress behind the fault proxy (as one of the account's custom domains): transient answers to
reads retried, retries bounded, and the server gone in the middle of a batch (the promises
Keystone's test_faults.py and test_kill.py prove; tests/support/saas_reliability.py, issue 19).
Authress cannot create users, so the batch creates groups."""

import collections

import pytest

import saas_reliability
from authress_fixtures import access_key, authress_env, emulator, emulator_server, proxy, run_module, service_key  # noqa: F401 pylint: disable=unused-import

GROUPS = 24


@pytest.mark.parametrize('code', [502, 503, 504])
def test_transient_status_to_a_read_is_retried(run_module, proxy, code):
    saas_reliability.transient_read_is_retried(run_module, proxy, r'^/v1/groups$', 'identity_group_info',
                                               dict(api_url=proxy.url), code)


def test_persistent_503_on_reads_fails_in_bounded_time_with_one_line(run_module, proxy):
    saas_reliability.persistent_503_fails_in_bounded_time(run_module, proxy, r'^/v1/groups$', 'identity_group_info',
                                                          dict(api_url=proxy.url))


def test_the_server_gone_mid_batch_stops_the_batch_and_a_rerun_converges(run_module, proxy, emulator):
    groups = [{'name': 'gone%02d' % i} for i in range(GROUPS)]

    def held():
        stored = emulator.dump()['groups']
        counts = collections.Counter(g['name'] for g in (stored.values() if isinstance(stored, dict) else stored))
        return dict((g['name'], counts[g['name']]) for g in groups)

    saas_reliability.server_gone_mid_batch(run_module, proxy, 'identity_group', dict(api_url=proxy.url, groups=groups),
                                           'groups', r'^/v1/groups$', held)
