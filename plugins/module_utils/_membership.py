# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Membership planning shared by ``identity_user`` (a user's groups) and ``identity_group`` (a
group's members), provider-agnostic. :class:`Memberships` runs the whole sequence for either
direction (:data:`USER_GROUPS`, :data:`GROUP_USERS`): references are parsed here, resolved and read
through the provider's intent methods, confirmed when the listing came back incomplete, qualified
by what the connection cannot see (blind spots), compared with :func:`_reconcile.plan_set`, and
applied with one ``apply_memberships`` call.

Check mode predicts across tasks: a group or user that an earlier task of the play would have
created (so it does not exist yet in check mode) is taken as created, with a warning, instead of
failing the whole check run; a real run still fails on a reference that does not exist.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError, IdentityError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils import _reconcile

SUMMARY_KEYS = ('id', 'name', 'domain_id')


def refs(values, default_domain, option):
    """``(name_or_id, domain)`` for each item of a list option (a string or ``{name, domain}``)."""
    found = []
    for index, value in enumerate(values):
        if isinstance(value, dict) and value.get('name') is not None and not set(value) - set(('name', 'domain')):
            found.append((str(value['name']), value.get('domain') or default_domain))
        elif isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            found.append((str(value), default_domain))
        else:
            raise IdentityError('%s[%d]: expected a %s name or ID, or a dictionary with name and '
                                'optional domain; got %r' % (option, index, option.rstrip('s'), value))
    return found


def resolve(task, kind, ref, domain, known=(), state='present'):
    """The group or user (``kind``) ``ref`` in ``domain``; in check mode, one that does not exist
    yet is predicted (``id`` None) with a warning, since an earlier task may create it (not for
    ``state`` 'absent': there check mode does what the real run does, see :func:`missing_policy`)."""
    provider = task.provider
    try:
        if kind == 'group':
            return provider.resolve_group(ref, domain, known=known)
        return provider.resolve_user(ref, domain, known=known)
    except NotFoundError as exc:
        if not task.check_mode or state == 'absent':
            raise
        predicted = provider.predict_actor(kind, ref, domain)  # an unknown domain still fails
        task.warn('%s; check mode takes it as created by an earlier task and predicts the membership; a '
                  'real run fails if it still does not exist (unless on_missing says otherwise)' % exc)
        return predicted


def on_missing_argument_spec():
    """The ``on_missing`` option (doc fragment ``iamops.identity.on_missing``) of the modules that
    name groups, members or roles."""
    return dict(on_missing=dict(type='str', choices=['fail', 'warn', 'ignore'], default='fail'))


def missing_policy(on_missing, removing):
    """What to do with a named object that does not exist: ``on_missing`` as given, except that
    for a removal (``users_state``/``groups_state`` absent, an assignment to revoke) 'fail' is
    'warn': what does not exist is absent already, so the rerun of a leaver's run - its account
    deleted by the first run - stays a no-op instead of failing. 'ignore' silences it."""
    return 'warn' if removing and on_missing == 'fail' else on_missing


def resolve_all(task, kind, wanted_refs, known, state, on_missing, option):
    """The objects ``wanted_refs`` name (see :func:`resolve`). One that does not exist fails the
    task when the :func:`missing_policy` is 'fail' (before any write); with 'warn' or 'ignore' it
    is left out, with one warning naming each one left out ('warn') or silently ('ignore')."""
    policy = missing_policy(on_missing, state == 'absent')
    found, missing = [], []
    for ref, domain in wanted_refs:
        try:
            found.append(resolve(task, kind, ref, domain, known=known, state=state))
        except NotFoundError as exc:
            if policy not in ('warn', 'ignore'):
                raise
            missing.append(exc.message)
    if missing and policy == 'warn':  # a batch item's warning says which item it is about
        if state == 'absent':
            what = 'nothing to remove from %s, %s not exist' % (option, 'it does' if len(missing) == 1 else 'they do')
        else:
            what = 'on_missing=warn, so %s left out of %s and the rest applied' % (
                'this one is' if len(missing) == 1 else 'these are', option)
        task.warn('%s%s: %s: %s' % ('%s: ' % task.label if getattr(task, 'label', None) else '',
                                    task.provider.name, what, '; '.join(missing)))
    return found


def refuse_absent_purge(params, direction, items_option):
    """Refuse, before any request, the list's ``state_option`` 'absent' (remove the listed ones)
    with its ``purge_option`` (remove the unlisted ones): in the task, or in each batch item (the
    top-level options overlaid with the item's)."""
    items = params.get(items_option) or []
    places = [('%s[%d]: ' % (items_option, index), dict(params, **dict((k, v) for k, v in item.items() if v is not None)))
              for index, item in enumerate(items) if isinstance(item, dict)] or [('', params)]
    for where, merged in places:
        if merged.get(direction.state_option) == 'absent' and merged.get(direction.purge_option):
            raise ConfigError('%s%s=absent removes only the listed %ss and %s=true all the others: they do not '
                              'go together' % (where, direction.state_option, direction.member_kind, direction.purge_option))


def confirm(task, kind, obj, listed, wanted, purge, option):
    """``listed`` (the members of group ``obj``, ``kind`` 'group', or the groups of user ``obj``,
    'user') made whole enough to plan with: when the provider's listing came back incomplete, a
    purge is refused (it cannot tell what to remove), and each of ``wanted`` the listing does
    not show is asked about (``has_member``), so a membership beyond it is not added again."""
    provider = task.provider
    if not obj or not obj.get('id') or provider.memberships_complete(kind, obj):
        return listed
    what = 'members of group' if kind == 'group' else 'groups of user'
    if purge:
        raise IdentityError('the list of the %s %r came back incomplete (see the warning), so %s cannot '
                            'tell what to remove; nothing was changed' % (what, obj.get('name'), option),
                            provider.name)
    found = list(listed)
    known = set(o['id'] for o in found)
    for other in wanted:
        if other.get('id') and other['id'] not in known:
            group, user = (obj, other) if kind == 'group' else (other, obj)
            if provider.has_member(group, user):
                found.append(other)
                known.add(other['id'])
    return found


def say_blind_spots(task, purge, option, what='memberships'):
    """What the connection cannot see of a user's groups (``what`` 'memberships') or of a group's
    members ('members'), as the provider says (a provider whose tokens are scoped to one domain
    sees only that domain): in the result's ``not_visible``, and a warning when ``option`` purges."""
    blind = task.provider.blind_spots(what)
    if blind:
        task.result['not_visible'] = blind
        if purge:
            task.warn('%s removed only the memberships this connection can see: it cannot see %s, so any '
                      'such membership remains' % (option, ' nor '.join(blind)))


def _key(obj):
    if obj.get('id'):
        return obj['id']
    return (None, obj.get('name'), obj.get('domain_id'))


def plan(wanted, current, purge, state='present'):
    """``(to_add, to_remove, after)`` for lists of groups or users, compared by ID (a predicted
    object, without ID, by name and domain). ``state`` 'absent': the wanted ones that are
    current are removed, nothing is added (``purge`` does not apply)."""
    by_key = dict((_key(o), o) for o in list(current) + list(wanted))
    if state == 'absent':
        held = set(_key(o) for o in current)
        to_add, to_remove = [], [k for k in dict.fromkeys(_key(o) for o in wanted) if k in held]
    else:
        to_add, to_remove = _reconcile.plan_set([_key(o) for o in wanted], [_key(o) for o in current], purge)
    removed = set(to_remove)
    after = [o for o in current if _key(o) not in removed] + [by_key[k] for k in to_add]
    return [by_key[k] for k in to_add], [by_key[k] for k in to_remove], after


def summary(objects):
    """What a result shows of groups or users: id, name, domain_id; sorted by name."""
    return sorted((dict((k, o.get(k)) for k in SUMMARY_KEYS) for o in objects),
                  key=lambda o: (o['name'] or '', o['id'] or ''))


def report(task, option, before, after):
    """Record the change of a membership list in the task's diff (names, sorted)."""
    task.changed()
    task.add_diff({'before': {option: sorted(o['name'] for o in before)},
                   'after': {option: sorted(o['name'] for o in after)}})


class Direction:
    """One way of reading memberships: the groups of a user, the users of a group, or the groups
    of a group (its subgroups).

    ``kind``: what the object is ('user' or 'group'); ``member_kind``: what its list holds;
    ``option`` / ``purge_option`` / ``state_option``: the module options; ``result_key``: where the
    result shows the list; ``blind``: what :meth:`Provider.blind_spots` is asked about.
    """

    def __init__(self, kind, member_kind, option, purge_option, result_key, blind):
        self.kind, self.member_kind = kind, member_kind
        self.option, self.purge_option, self.result_key, self.blind = option, purge_option, result_key, blind
        self.state_option = option + '_state'

    @property
    def nested(self):
        """Whether the list holds objects of the object's own kind (a group's subgroups: read with
        ``group_subgroups``, written with ``apply_subgroups``)."""
        return self.kind == self.member_kind

    def pairs(self, obj, members):
        """``(group, user)`` for each of ``members`` of ``obj``."""
        if self.kind == 'group':
            return [(obj, m) for m in members]
        return [(m, obj) for m in members]


USER_GROUPS = Direction('user', 'group', 'groups', 'purge_groups', 'groups', 'memberships')
GROUP_USERS = Direction('group', 'user', 'users', 'purge_users', 'members', 'members')
GROUP_SUBGROUPS = Direction('group', 'group', 'subgroups', 'purge_subgroups', 'subgroups', 'subgroups')


def _label(group):
    return repr(group.get('name') or group.get('id'))


def refuse_cycles(task, group, adding):
    """Refuse, before any write, subgroups whose membership would put ``group`` inside itself:
    ``group`` itself, or a group that holds ``group`` already (walked down through the
    provider's :meth:`group_subgroups`, each group read once)."""
    if not group or not group.get('id'):
        return  # a group yet to be created is nobody's member
    for subgroup in adding:
        path = _path_to(task.provider, subgroup, group['id'])
        if path is not None:
            chain = ' -> '.join(_label(g) for g in [group] + path)
            raise IdentityError('subgroups: %s cannot be a member of group %s, which would then contain '
                                'itself (%s); nothing was changed' % (_label(subgroup), _label(group), chain),
                                task.provider.name)


def _path_to(provider, start, target_id):
    """The groups from ``start`` down to the group of id ``target_id`` through subgroups
    (``[start, ..., target]``), or None when ``start`` does not contain it."""
    if not start.get('id'):
        return None
    parents, queue = {start['id']: None}, [start]
    while queue:
        current = queue.pop(0)
        if current['id'] == target_id:
            path = []
            while current is not None:
                path.insert(0, current)
                current = parents[current['id']]
            return path
        for child in provider.group_subgroups(current) or ():
            if child.get('id') and child['id'] not in parents:
                parents[child['id']] = current
                queue.append(child)
    return None


class Plan:
    """What :meth:`Memberships.plan` found: the list ``before``, ``to_add``, ``to_remove`` and the
    list ``after``."""

    def __init__(self, before, to_add, to_remove, after):
        self.before, self.to_add, self.to_remove, self.after = before, to_add, to_remove, after


class Memberships:
    """The membership service of one task in one :class:`Direction`: :meth:`plan` reads and
    resolves everything before any write (an unknown member changes nothing); :meth:`apply`
    reports and writes the plan."""

    def __init__(self, task, direction):
        self.task = task
        self.direction = direction

    def plan(self, obj, values, domain, purge, state='present', on_missing='fail'):
        """The :class:`Plan` making ``obj``'s list (``None`` or a predicted object: empty) hold
        ``values`` (references in ``domain`` by default); ``purge`` removes the others. With
        ``state`` 'absent', the listed ones leave the list and the others stay (``purge`` must be
        false: :func:`refuse_absent_purge`). ``on_missing``: see :func:`resolve_all`."""
        direction, task = self.direction, self.task
        wanted_refs = refs(values, domain, direction.option)
        # a provider whose users hold one group replaces it with the one given (when it exists:
        # one that on_missing leaves out replaces nothing)
        forced = direction.kind == 'user' and task.provider.single_group and bool(wanted_refs) and state == 'present'
        before = self._listing(obj, wanted_refs, purge or forced)
        wanted = resolve_all(task, direction.member_kind, wanted_refs, before, state, on_missing, direction.option)
        purge = purge or (forced and bool(wanted))
        before = confirm(task, direction.kind, obj, before, wanted, purge, direction.purge_option)
        say_blind_spots(task, purge, direction.purge_option, direction.blind)
        to_add, to_remove, after = plan(wanted, before, purge, state)
        if direction.nested:
            refuse_cycles(task, obj, to_add)
        return Plan(before, to_add, to_remove, after)

    def _listing(self, obj, wanted_refs, purge):
        """The provider's answer for ``obj``'s list, its cheapest way (without purge, a user's
        groups among those named only)."""
        if obj is None or not obj.get('id'):
            return []
        if self.direction.nested:
            return self.task.provider.group_subgroups(obj)
        if self.direction.kind == 'group':
            return self.task.provider.group_members(obj)
        return self.task.provider.user_groups(obj, among=None if purge else wanted_refs)

    def apply(self, obj, planned, written=False):
        """Report ``planned`` for ``obj`` (after its create, if any) and write it, but in check mode
        or when the create already wrote it (``written``); the result shows the list after."""
        task = self.task
        if planned.to_add or planned.to_remove:
            report(task, self.direction.option, planned.before, planned.after)
            if not task.check_mode and not written:
                write = task.provider.apply_subgroups if self.direction.nested else task.provider.apply_memberships
                write(add=self.direction.pairs(obj, planned.to_add), remove=self.direction.pairs(obj, planned.to_remove))
        task.result[self.direction.result_key] = summary(planned.after)
