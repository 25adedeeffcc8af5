"""The fault-injecting proxy in front of the OneLogin emulator: the faults Keystone gets
(tests/support/saas_faults.py, issue 8)."""

import pytest

import fault_proxy as fp
import saas_faults


@pytest.fixture
def proxy(onelogin):
    with fp.FaultProxy(onelogin.url, lifetime=120) as found:
        yield found


def test_lost_create_answer_is_not_duplicated(run_module, proxy, onelogin, state):
    saas_faults.lost_create_answer(
        run_module, proxy, onelogin, r'^/api/2/users$', 'identity_user',
        dict(api_url=proxy.url, name='lost', email='lost@example.com'),
        lambda: len([u for u in state.dump()['users'] if u['username'] == 'lost']))


def test_throttled_read_is_retried(run_module, proxy):
    saas_faults.throttled_read_is_retried(run_module, proxy, r'^/api/2/users$', 'identity_user_info',
                                          dict(api_url=proxy.url, name='nobody'))


def test_html_page_to_a_listing(run_module, proxy):
    saas_faults.html_page_to_a_listing(run_module, proxy, r'^/api/2/users$', 'identity_user_info',
                                       dict(api_url=proxy.url))
