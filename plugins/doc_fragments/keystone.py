# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection and authentication options of the keystone provider (OpenStack Keystone v3).
    DOCUMENTATION = r'''
options:
  cloud:
    description:
      - Name of a cloud in C(clouds.yaml) (and C(secure.yaml)) to read the connection from.
      - C(clouds.yaml) is searched where openstacksdk searches it - E(OS_CLIENT_CONFIG_FILE)
        (which AWX's OpenStack credential sets), the current directory, C(~/.config/openstack/)
        and C(/etc/openstack/).
      - Defaults to E(OS_CLOUD). Without a cloud, the E(OS_*) environment variables of an
        C(openrc) file are read instead (E(OS_AUTH_URL), E(OS_USERNAME), E(OS_PASSWORD), ...).
      - Values given in O(auth) and the other options here override the cloud's.
    type: str
  auth:
    description:
      - Keystone authentication settings, the same keys as the C(auth) section of C(clouds.yaml).
      - Password authentication needs O(auth.username) with O(auth.user_domain_name) (or
        O(auth.user_id)) and O(auth.password); application credentials need
        O(auth.application_credential_id) (or its name and owner) and
        O(auth.application_credential_secret); an existing token needs O(auth.token).
      - The token is scoped to the project, domain or system given here; an application
        credential carries its own scope. O(auth.system_scope) excludes a project or domain.
    type: dict
    suboptions:
      auth_url:
        description:
          - Keystone URL, with or without the C(/v3) suffix. C(http://) or C(https://), for any
            host (labs run plain-http Keystone); a URL with user information (C(user:password@)),
            a query or a fragment is refused before any request, wherever it was given (task,
            E(OS_AUTH_URL), C(clouds.yaml)).
        type: str
      username:
        description: User to authenticate as.
        type: str
      user_id:
        description: ID of the user to authenticate as.
        type: str
      password:
        description: Password of O(auth.username). Never logged or returned.
        type: str
      user_domain_name:
        description: Domain of O(auth.username) by name.
        type: str
      user_domain_id:
        description: Domain of O(auth.username) by ID.
        type: str
      project_name:
        description: Project to scope the token to.
        type: str
      project_id:
        description: ID of the project to scope the token to.
        type: str
      project_domain_name:
        description: Domain of O(auth.project_name) by name.
        type: str
      project_domain_id:
        description: Domain of O(auth.project_name) by ID.
        type: str
      domain_name:
        description:
          - Domain to scope the token to when no project is named.
          - With a project, it stands for O(auth.user_domain_name) and O(auth.project_domain_name)
            when those are not given, as in openstacksdk.
        type: str
      domain_id:
        description: Like O(auth.domain_name), by ID.
        type: str
      system_scope:
        description: Scope the token to the system, for example C(all).
        type: str
      application_credential_id:
        description: ID of an application credential.
        type: str
      application_credential_name:
        description: Name of an application credential (needs its owner O(auth.username) or O(auth.user_id)).
        type: str
      application_credential_secret:
        description: Secret of the application credential. Never logged or returned.
        type: str
      token:
        description:
          - An existing token. Used as it is when no scope is given, otherwise exchanged once for
            a token with that scope. Never logged or returned.
        type: str
  auth_type:
    description:
      - Authentication method - C(password), C(v3applicationcredential) or C(token).
      - Inferred from the O(auth) keys when omitted. Defaults to E(OS_AUTH_TYPE).
    type: str
  region_name:
    description:
      - Region whose identity endpoint to use from the service catalog.
    type: str
  interface:
    description:
      - Endpoint interface to pick from the service catalog; when the catalog has no identity
        endpoint for it, O(auth.auth_url) is used. Defaults to E(OS_INTERFACE), then C(public).
    type: str
    choices: [public, internal, admin]
'''
