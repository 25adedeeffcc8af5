# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generated passwords (``password: generate``, like ansible-freeipa's ``random: true``).

A password is drawn with :mod:`secrets` (the operating system's CSPRNG): ``LENGTH`` characters
holding at least one upper-case letter, one lower-case letter, one digit and one symbol. The
symbols are those every provider's rules accept and that need no quoting in YAML, JSON, a URL
form or a shell word: Keystone (no rule unless ``[security_compliance] password_regex``), OneLogin
(its default policy asks for complexity, which this meets), Posit Connect (six characters at
least) and SCIM servers (no rule).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import secrets
import string

from ansible_collections.iamops.identity.plugins.module_utils._errors import IdentityError

GENERATE = 'generate'  # the option value that asks for a generated password
LENGTH = 24
SYMBOLS = '-_.!@#+='
CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits, SYMBOLS)
ALPHABET = ''.join(CLASSES)


def generate_password(length=LENGTH):
    """A new random password of ``length`` characters, one at least of each of :data:`CLASSES`."""
    chars = [secrets.choice(kind) for kind in CLASSES]
    chars += [secrets.choice(ALPHABET) for _index in range(length - len(chars))]
    for index in range(len(chars) - 1, 0, -1):  # Fisher-Yates with the CSPRNG: no class at a fixed place
        other = secrets.randbelow(index + 1)
        chars[index], chars[other] = chars[other], chars[index]
    return ''.join(chars)


def is_generate(value):
    """Whether an option's value asks for a generated password."""
    return value == GENERATE


def secrets_for(task, current):
    """The secret fields a user task sends: the password given, or for ``password: generate`` one
    drawn now, and only for a user to create (in check mode the word itself: masked, never sent)."""
    password = task.params['password']
    if password is None:
        return {}
    if not is_generate(password):
        return {'password': password}
    if current is not None or task.params['state'] != 'present':
        return {}
    return {'password': GENERATE if task.check_mode else generate_password()}


def refuse_generate_always(params):
    """``password: generate`` with ``update_password: always`` (top level or in an item of
    ``users``): one message, before any request."""
    for index, item in enumerate(params['users'] or [{}]):
        password = item.get('password') if item.get('password') is not None else params['password']
        update = item.get('update_password') or params['update_password']
        if is_generate(password) and update == 'always':
            where = 'users[%d]: ' % index if params['users'] else ''
            raise IdentityError(where + 'password: generate makes a password for a user the task creates; it '
                                'cannot be combined with update_password: always (give the new password itself)')
