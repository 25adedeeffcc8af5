# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authress provider: the parts of this package composed behind the provider contract."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress.session import AuthressSession
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress.directory import AuthressDirectory
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress.records import AuthressRecords
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress.tenants import AuthressTenants


class AuthressProvider(AuthressSession, AuthressDirectory, AuthressRecords, AuthressTenants, Provider):
    """Authress behind the contract of :class:`Provider` (see ``spec.py`` for what it declares)."""

    name = 'authress'
    # Authress compares names exactly: two groups (or records) may be called "Ops" and "ops", and
    # either is found only by its own spelling (``_model.one_match``); a batch naming both names
    # two objects, not one.
    case_insensitive_names = False
