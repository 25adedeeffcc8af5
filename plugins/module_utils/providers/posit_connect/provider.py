# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Posit Connect provider: the parts of this package composed behind the provider contract."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.session import (
    PositConnectSession)
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.directory import (
    PositConnectDirectory)
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.assignments import (
    PositConnectAssignments)
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.intent import (
    PositConnectIntent)


class PositConnectProvider(PositConnectSession, PositConnectIntent, PositConnectDirectory, PositConnectAssignments,
                           Provider):
    """Posit Connect behind the contract of :class:`Provider` (see ``spec.py`` for what it declares)."""

    name = 'posit_connect'
