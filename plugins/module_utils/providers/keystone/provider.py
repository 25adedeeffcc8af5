# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpenStack Keystone v3 provider: the parts of this package composed behind the provider contract."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.intent import KeystoneIntent
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.session import KeystoneSession
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.directory import KeystoneDirectory
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.assignments import KeystoneAssignments
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.domain_config import KeystoneDomainConfig


class KeystoneProvider(KeystoneIntent, KeystoneSession, KeystoneDirectory, KeystoneAssignments,
                       KeystoneDomainConfig, Provider):
    """Keystone behind the contract of :class:`Provider` (see ``spec.py`` for what it declares)."""

    name = 'keystone'
