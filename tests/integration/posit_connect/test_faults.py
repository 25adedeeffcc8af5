"""The fault-injecting proxy in front of the Posit Connect emulator: the faults Keystone gets
(tests/support/saas_faults.py, issue 8)."""

import pytest

import fault_proxy as fp
import saas_faults


@pytest.fixture
def proxy(emu):
    with fp.FaultProxy(emu.url, lifetime=120) as found:
        yield found


def test_lost_create_answer_is_not_duplicated(run_module, proxy, emu):
    saas_faults.lost_create_answer(
        run_module, proxy, emu, r'^/__api__/v1/users$', 'identity_user',
        dict(api_url=proxy.url, name='lost', email='lost@example.com', user_must_set_password=True),
        lambda: len([u for u in emu.dump()['users'] if u['username'] == 'lost']))


def test_throttled_read_is_retried(run_module, proxy):
    saas_faults.throttled_read_is_retried(run_module, proxy, r'^/__api__/v1/users$', 'identity_user_info',
                                          dict(api_url=proxy.url))


def test_html_page_to_a_listing(run_module, proxy):
    saas_faults.html_page_to_a_listing(run_module, proxy, r'^/__api__/v1/users$', 'identity_user_info',
                                       dict(api_url=proxy.url))
