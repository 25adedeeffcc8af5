# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OneLogin provider: the parts of this package composed behind the provider contract."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin.session import OneLoginSession
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin.directory import OneLoginDirectory
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin.assignments import OneLoginAssignments


class OneLoginProvider(OneLoginAssignments, OneLoginDirectory, OneLoginSession, Provider):
    """OneLogin behind the contract of :class:`Provider` (see ``spec.py`` for what it declares)."""

    name = 'onelogin'
