# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r'''
options:
  on_missing:
    description:
      - What to do when a group, user or role that the task names (as a member, a membership or
        the role of an assignment) does not exist.
      - V(fail) (the default) fails the task before any write, naming what is missing. For a removal
        (a member to remove, an assignment to revoke) what does not exist is absent already, and a
        warning names it instead, so a rerun of a leaver's run whose account is gone stays a no-op.
      - V(warn) leaves it out, with a warning naming it, and applies the rest.
      - V(ignore) leaves it out silently and applies the rest.
      - The object the task itself manages is not concerned.
      - In check mode, a reference that an earlier task of the play would create is predicted as
        created, with a warning, whatever this says.
    type: str
    choices: [fail, warn, ignore]
    default: fail
'''
