# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generic SCIM 2.0 provider: the parts of this package composed behind the provider contract."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim.session import ScimSession
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim.directory import ScimDirectory
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim.intent import ScimIntent
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim.assignments import ScimAssignments


class ScimProvider(ScimSession, ScimIntent, ScimDirectory, ScimAssignments, Provider):
    """A SCIM 2.0 service provider behind the contract of :class:`Provider` (see ``spec.py``)."""

    name = 'scim'
