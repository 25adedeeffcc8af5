"""The fault-injecting proxy in front of the Authress emulator (as one of the account's custom
domains, so the JWT's issuer is the proxy's URL): the faults Keystone gets
(tests/support/saas_faults.py, issue 8)."""

import pytest

import fault_proxy as fp
import saas_faults
from authress_fixtures import access_key, authress_env, emulator, emulator_server, run_module, service_key  # noqa: F401 pylint: disable=unused-import


@pytest.fixture
def proxy(emulator):
    with fp.FaultProxy(emulator.url, lifetime=120) as found:
        emulator.custom_domains = [found.url]
        yield found
        emulator.custom_domains = []


def test_lost_create_answer_is_not_duplicated(run_module, proxy, emulator):
    saas_faults.lost_create_answer(
        run_module, proxy, emulator, r'^/v1/groups$', 'identity_group', dict(api_url=proxy.url, name='lost'),
        lambda: len([g for g in emulator.dump()['groups'].values() if g['name'] == 'lost']))


def test_throttled_read_is_retried(run_module, proxy):
    saas_faults.throttled_read_is_retried(run_module, proxy, r'^/v1/groups$', 'identity_group_info',
                                          dict(api_url=proxy.url))


def test_html_page_to_a_listing(run_module, proxy):
    saas_faults.html_page_to_a_listing(run_module, proxy, r'^/v1/groups$', 'identity_group_info',
                                       dict(api_url=proxy.url))
