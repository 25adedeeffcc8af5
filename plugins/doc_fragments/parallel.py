# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The parallel option of the batch forms (identity_user users:, identity_group groups:,
    # identity_role_assignment assignments:); argument spec: _parallel.argument_spec().
    DOCUMENTATION = r'''
options:
  parallel:
    description:
      - How many writes of a batch are sent at once - items of the batch form, the members a
        group gains or loses, the role assignments granted and revoked - at most 16.
      - Everything the batch needs to read (listings, names) is read first; then each item's
        writes go out, up to O(parallel) of them in flight. Results, diffs, warnings and failures
        are the same, in the same order, as with O(parallel=1), which sends one write at a time.
      - A token that expires during the batch is renewed once for all of them; a server that
        stops answering stops the items not started yet, as in the serial run.
      - Default 1 (one write at a time). Measured against Keystone over MariaDB behind 4 workers
        sharing 2 CPUs with the client, concurrent writes only queued (2 at once) or slowed every
        write down (4 at once); set it for a Keystone with CPU to spare.
    type: int
    choices: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
'''
