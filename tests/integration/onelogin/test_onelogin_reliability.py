"""OneLogin behind the fault proxy: transient answers to reads retried, retries bounded, and the
server gone in the middle of a batch (the promises Keystone's test_faults.py and test_kill.py
prove; tests/support/saas_reliability.py, issue 19)."""

import collections

import pytest

import saas_reliability

PEOPLE = 24


@pytest.mark.parametrize('code', [502, 503, 504])
def test_transient_status_to_a_read_is_retried(run_module, proxy, code):
    saas_reliability.transient_read_is_retried(run_module, proxy, r'^/api/2/users$', 'identity_user_info',
                                               dict(api_url=proxy.url), code)


def test_persistent_503_on_reads_fails_in_bounded_time_with_one_line(run_module, proxy):
    saas_reliability.persistent_503_fails_in_bounded_time(run_module, proxy, r'^/api/2/users$', 'identity_user_info',
                                                          dict(api_url=proxy.url))


def test_the_server_gone_mid_batch_stops_the_batch_and_a_rerun_converges(run_module, proxy, state):
    people = [{'name': 'gone%02d' % i, 'email': 'gone%02d@example.com' % i} for i in range(PEOPLE)]

    def held():
        counts = collections.Counter(u['username'] for u in state.dump()['users'])
        return dict((p['name'], counts[p['name']]) for p in people)

    saas_reliability.server_gone_mid_batch(run_module, proxy, 'identity_user', dict(api_url=proxy.url, users=people),
                                           'users', r'^/api/2/users$', held)
