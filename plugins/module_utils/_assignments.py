# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role assignment planning, provider-agnostic (``identity_role_assignment``).

The task names actors (users, groups) and items (assignments wanted present or absent, or an actor
alone, declared for ``purge``). Here: collect the actors, resolve them once (the provider picks
its reads through ``prepare_actors``), read their current assignments (``actor_assignments``:
one listing for all, or one per actor, the provider decides), resolve each item to the common
model (``resolve_assignment``), compare by the provider's ``assignment_key``, and grant then
revoke. What an assignment's scope is and how it is named belong to the provider
(``check_assignment``, ``describe_assignment``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils import _reconcile
from ansible_collections.iamops.identity.plugins.module_utils import _membership
from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    ConfigError, IdentityError, NotFoundError)

KINDS = ('user', 'group')


def _kind(assignment):
    return 'user' if assignment.get('user') else 'group'


def actor_ident(assignment):
    """What identifies the actor of an assignment: ``(kind, id)``, or for an actor predicted in
    check mode (no id yet) ``(kind, None, name, domain id)``."""
    kind = _kind(assignment)
    actor = assignment[kind]
    if actor.get('id'):
        return (kind, actor['id'])
    return (kind, None, actor.get('name'), (actor.get('domain') or {}).get('id'))


def full_key(provider, assignment):
    """What identifies an assignment among several actors: the actor, then the provider's key."""
    return actor_ident(assignment) + (provider.assignment_key(assignment),)


def _name(obj):
    return obj.get('name') or obj.get('id')


def actor_label(assignment):
    """The actor of an assignment, e.g. ``user asmith (corp)``."""
    kind = _kind(assignment)
    actor = assignment[kind]
    text = '%s %s' % (kind, _name(actor))
    if actor.get('domain'):
        text += ' (%s)' % _name(actor['domain'])
    return text


def labeller(provider, several):
    """The label of the task's diff keys: prefixed with the actor when the task has several."""
    if several:
        return lambda assignment: '%s: %s' % (actor_label(assignment), provider.describe_assignment(assignment))
    return provider.describe_assignment


def _in_item(where, exc):
    if where is None:
        return exc
    return exc.__class__('%s: %s' % (where, exc.message), exc.provider)


def _prefix(where):
    return where + ': ' if where else ''


class Actor:
    """A user or group the task manages, as given: ``kind``, ``ref`` (name or id) and ``domain``."""

    def __init__(self, kind, ref, domain):
        self.kind, self.ref, self.domain = kind, ref, domain
        self.items = []      # indexes of the items about it
        self.named = set()   # indexes of the items that name it themselves
        self.found = None    # the resolved user or group
        self.key = None      # (kind, id) once resolved, see actor_ident


def collect_actors(task, items, wheres):
    """The actors of the task (the top-level one first) and, per item, its actor.

    Refuses, before any request, an item without actor and a role without scope.
    """
    params = task.params
    actors, by_ref, item_actors = [], {}, []

    def actor(kind, ref, domain):
        key = (kind, ref, domain or 'Default')
        if key not in by_ref:
            by_ref[key] = Actor(kind, ref, domain)
            actors.append(by_ref[key])
        return by_ref[key]

    top = None
    for kind in KINDS:
        if params[kind] is not None:
            top = actor(kind, params[kind], params[kind + '_domain'])
    for index, (item, where) in enumerate(zip(items, wheres)):
        own = [kind for kind in KINDS if item.get(kind) is not None]
        if own:
            kind = own[0]
            found = actor(kind, item[kind], item.get(kind + '_domain') or params[kind + '_domain'])
            found.named.add(index)
        elif top is not None:
            found = top
        else:
            raise ConfigError('%s names no user or group: give user or group in the item, or at top '
                              'level for every item' % where, task.provider.name)
        task.provider.check_assignment(item, where)
        found.items.append(index)
        item_actors.append(found)
    for kind in KINDS:
        domain_option = kind + '_domain'
        if params[domain_option] is not None and not any(a.kind == kind for a in actors):
            raise ConfigError('%s is given but no %s is (at top level or in an item of assignments)'
                              % (domain_option, kind), task.provider.name)
    return actors, item_actors


def on_missing(task):
    """What the task does with a role or actor that does not exist: ``fail``, ``warn`` or ``ignore``."""
    return task.params.get('on_missing') or 'fail'


def policy_for(task, removing):
    """:func:`_membership.missing_policy`: for an assignment to revoke, 'fail' is 'warn' (what does
    not exist holds nothing: a leaver's rerun stays a no-op)."""
    return _membership.missing_policy(on_missing(task), removing)


def left_out(task, where, what, exc, policy):
    """Leave out what names a missing role or actor (``policy`` warn or ignore): a warning
    under warn, e.g. ``assignments[1]: nothing to revoke: keystone: role 'x' not found``."""
    if policy == 'warn':
        task.warn('%s%s: %s' % (_prefix(where), what, exc))


def resolve_actors(task, actors, items, wheres):
    """Resolve every actor once; several users (groups) of one domain cost one listing of it.

    An actor that does not exist: see :func:`missing_actor`.
    """
    provider = task.provider
    provider.prepare_actors([(actor.kind, actor.ref, actor.domain) for actor in actors])
    for actor in actors:
        try:
            actor.found = provider.resolve_actor(actor.kind, actor.ref, actor.domain)
            actor.key = (actor.kind, actor.found['id'])
        except NotFoundError as exc:
            missing_actor(task, actor, items, wheres, exc)


def _first_naming(actor, indexes, wheres):
    """Where the actor is named: the first of ``indexes`` that names it itself (else top level)."""
    named = [index for index in indexes if index in actor.named]
    return wheres[named[0]] if named else None


def missing_actor(task, actor, items, wheres, exc):
    """An actor that does not exist. In check mode, when an item wants an assignment of it
    present, an earlier task of the play may be about to create it: a warning, and its
    assignments are predicted as granted (to an actor without id), whatever ``on_missing`` says.
    Otherwise the :func:`policy_for` (``on_missing``; for an actor with only assignments to
    revoke, 'fail' is 'warn') fails the task, or leaves the actor and its items out (its domain
    must exist), with a warning under warn. ``actor.found`` stays None when left out.
    """
    wants = [index for index in actor.items
             if items[index]['state'] == 'present' and items[index].get('role') is not None]
    where = _first_naming(actor, wants or sorted(actor.items), wheres)
    if task.check_mode and wants:
        _predict_actor(task, actor, where, exc)
        return
    policy = policy_for(task, removing=not wants)
    if policy == 'fail':
        raise _in_item(where, exc)
    _require_domain(task, actor, where)
    left_out(task, where, 'left out, nothing granted' if wants else 'nothing to revoke', exc, policy)


def _require_domain(task, actor, where):
    """The missing actor as an earlier task would create it; an unknown domain still fails (a
    missing actor is left out, or predicted, only when its domain exists)."""
    try:
        return task.provider.predict_actor(actor.kind, actor.ref, actor.domain)
    except NotFoundError as domain_exc:
        raise _in_item(where, domain_exc)


def _predict_actor(task, actor, where, exc):
    """Check mode: the actor taken as created by an earlier task, its assignments predicted."""
    actor.found = _require_domain(task, actor, where)
    task.warn('%s%s: check mode takes it as created by an earlier task and predicts its '
              'assignments; a real run fails if it still does not exist' % (_prefix(where), exc))
    actor.key = (actor.kind, None, actor.ref, actor.found.get('domain_id'))


def plan(task, actors, item_actors, items, wheres, show):
    """Read the actors' assignments (one listing), resolve every item, and plan the writes.

    Returns ``(held, entries, to_add, to_remove, purged, caused)``: ``held`` the current
    assignments by :func:`full_key`, ``entries`` one ``(item, assignment or None, changed)`` per
    item, ``caused`` per item the ``(sign, assignment)`` it grants (``+``) or revokes (``-``) -
    a purged assignment on its actor's declaration, else on the actor's first item (which then
    reports ``changed``).
    """
    provider = task.provider
    held, complete = read_held(task, _distinct(actors))
    resolved = resolve_items(task, items, wheres, item_actors)
    states = _refuse_contradictions(provider, items, wheres, resolved, show)
    _refuse_two_in_a_slot(provider, items, wheres, resolved, show)
    entries, to_add, to_remove, caused = plan_writes(provider, items, resolved, held, complete)
    purged = []
    if task.params['purge']:
        purged = plan_purge(provider, states, held, to_remove, show)
        _report_purged(purged, items, item_actors, entries, caused)
    return held, entries, to_add, to_remove, purged, caused


def _distinct(actors):
    """The resolved actors, each once (two references may name one actor)."""
    found, seen = [], set()
    for actor in actors:
        if actor.key is not None and actor.key not in seen:
            seen.add(actor.key)
            found.append(actor)
    return found


def read_held(task, found):
    """``(held, complete)``: the assignments the actors ``found`` hold, by :func:`full_key`, and
    per actor whether its listing was complete (a purge over a truncated one is refused)."""
    provider = task.provider
    held, complete = {}, {}
    existing = [actor for actor in found if actor.found['id']]
    for actor in found:
        if not actor.found['id']:
            complete[actor.key] = True  # predicted in check mode: holds what the provider gives a new one
            for assignment in provider.predicted_assignments(actor.kind, actor.found):
                held[full_key(provider, assignment)] = assignment
    # the provider picks its reads: one listing for all, or one per actor
    listed = provider.actor_assignments([(actor.kind, actor.found) for actor in existing])
    for actor, (current, complete[actor.key]) in zip(existing, listed):
        if task.params['purge'] and not complete[actor.key]:
            raise IdentityError('the list of role assignments of %s %r came back truncated (the '
                                "server's list limit), so purge cannot tell what to revoke; nothing "
                                'was changed' % (actor.kind, actor.ref), provider.name)
        for assignment in current:
            held[full_key(provider, assignment)] = assignment
    return held, complete


def resolve_items(task, items, wheres, item_actors):
    """Each item's assignment in the common model, or None (nothing to revoke, or a declaration
    of the actor)."""
    resolved = []
    for item, where, actor in zip(items, wheres, item_actors):
        if actor.found is None or item.get('role') is None:
            resolved.append(None)
            continue
        try:
            resolved.append(task.provider.resolve_assignment(actor.kind, actor.found, item))
        except NotFoundError as exc:
            missing_in_item(task, item, where, exc)
            resolved.append(None)
    return resolved


def missing_in_item(task, item, where, exc):
    """An item naming something that does not exist. A role: ``on_missing`` (fail, whatever the
    item's state; warn or ignore: the item is left out). A scope (project, domain...), as
    always: a present item fails, an absent one has nothing to revoke (a warning)."""
    present = item['state'] == 'present'
    if exc.what == 'role':
        policy = policy_for(task, removing=not present)
        if policy == 'fail':
            raise _in_item(where, exc)
        left_out(task, where, 'left out, nothing granted' if present else 'nothing to revoke', exc, policy)
    elif present:
        raise _in_item(where, exc)
    else:
        task.warn('%snothing to revoke: %s' % (_prefix(where), exc))


def _refuse_contradictions(provider, items, wheres, resolved, show):
    """Refuse one assignment asked both present and absent; returns full key -> (where, state)."""
    states = {}
    for item, where, assignment in zip(items, wheres, resolved):
        if assignment is None:
            continue
        key = full_key(provider, assignment)
        if key in states and states[key][1] != item['state']:
            raise IdentityError('%s and %s ask for the same assignment (%s) both present and absent'
                                % (states[key][0], where, show(assignment)), provider.name)
        states.setdefault(key, (where, item['state']))
    return states


def _refuse_two_in_a_slot(provider, items, wheres, resolved, show):
    """Refuse two wanted assignments of an actor that holds only one of them (a slot)."""
    slots = {}
    for item, where, assignment in zip(items, wheres, resolved):
        if assignment is None or item['state'] != 'present':
            continue
        slot = provider.assignment_slot(assignment)
        if slot is None:
            continue
        key = full_key(provider, assignment)
        first = slots.setdefault(actor_ident(assignment) + (slot,), (where, key, assignment))
        if first[1] != key:
            raise IdentityError('%s and %s ask for %s and %s, but %s holds only one %s' % (
                first[0], where, show(first[2]), show(assignment), actor_label(assignment), slot), provider.name)


def plan_writes(provider, items, resolved, held, complete):
    """``(entries, to_add, to_remove, caused)`` for the items (see :func:`plan`); an assignment
    the listing could not show is asked about first (``assignment_exists``)."""
    entries, to_add, to_remove, planned = [], [], [], set()
    caused = []   # per entry, the (sign, assignment) it grants or revokes
    for item, assignment in zip(items, resolved):
        lines = []
        caused.append(lines)
        changed = False
        if assignment is not None:
            key = full_key(provider, assignment)
            _confirm_held(provider, assignment, key, held, complete)
            if key not in planned:
                planned.add(key)
                changed = _plan_item(provider, item, assignment, key, held, planned, to_add, to_remove, lines)
            if key in held:
                assignment = held[key]  # the server's view, with its names
        entries.append((item, assignment, changed))
    return entries, to_add, to_remove, caused


def _confirm_held(provider, assignment, key, held, complete):
    """An assignment beyond a truncated listing, or out of the connection's sight, is asked
    about (one request) and taken as held when it exists."""
    unlisted = not complete[actor_ident(assignment)] or not provider.assignment_visible(assignment)
    real = assignment[_kind(assignment)].get('id')  # not an actor predicted in check mode
    if key not in held and real and unlisted and provider.assignment_exists(assignment):
        held[key] = assignment


def _plan_item(provider, item, assignment, key, held, planned, to_add, to_remove, lines):
    """Plan one item's grant (and what it displaces) or revoke; whether it changes something."""
    if item['state'] == 'present' and key not in held:
        to_add.append(assignment)
        lines.append(('+', assignment))
        for old in displaced(provider, assignment, held):
            if full_key(provider, old) not in planned:
                planned.add(full_key(provider, old))
                to_remove.append(old)
                if provider.revocable(old):   # a floor no revoke removes is implicit:
                    lines.append(('-', old))  # check mode cannot know a new user holds it
        return True
    if item['state'] == 'absent' and key in held and provider.revocable(held[key]):
        to_remove.append(held[key])
        lines.append(('-', held[key]))
        return True
    return False


def plan_purge(provider, states, held, to_remove, show):
    """What a purge revokes: every held assignment no item wants, but a floor no revoke removes."""
    keep = set(key for key, (where, state) in states.items() if state == 'present')
    removing = set(full_key(provider, a) for a in to_remove)
    return sorted((a for key, a in held.items()
                   if key not in keep and key not in removing and provider.revocable(a)), key=show)


def _report_purged(purged, items, item_actors, entries, caused):
    """A purged assignment is reported on its actor's declaration (an item naming the actor
    alone), else on the actor's first item: that entry changed something."""
    for old in purged:
        ident = actor_ident(old)
        mine = [index for index, actor in enumerate(item_actors) if actor.key == ident]
        if not mine:
            continue
        declared = [index for index in mine if items[index].get('role') is None]
        index = (declared or mine)[0]
        caused[index].append(('-', old))
        item, assignment, dummy = entries[index]
        entries[index] = (item, assignment, True)


def displaced(provider, assignment, held):
    """The held assignments of the same actor that granting ``assignment`` replaces: those in
    its slot (:meth:`Provider.assignment_slot`; a provider whose users hold one role), reported
    as revoked - the grant itself removes them."""
    slot = provider.assignment_slot(assignment)
    if slot is None:
        return []
    actor = actor_ident(assignment)
    return [old for old in held.values()
            if actor_ident(old) == actor and provider.assignment_slot(old) == slot
            and provider.assignment_key(old) != provider.assignment_key(assignment)]


def apply(task, to_add, to_remove, show):
    """Grant, then revoke (granting first never leaves a moment without access when swapping):
    the provider's ``apply_assignments`` decides how many writes that takes."""
    task.provider.apply_assignments(to_add, to_remove, show)


def task_items(task, item_keys):
    """``(items, wheres)``: the task's assignments (the list form's items, each with its
    effective state, or the single form's one) and where each is given."""
    params = task.params
    if params['assignments'] is None:
        return [dict((k, params.get(k)) for k in item_keys)], [None]
    items = []
    for given in params['assignments']:
        item = dict(given)
        item['state'] = item.get('state') or params['state']
        items.append(item)
    return items, ['assignments[%d]' % index for index in range(len(items))]


def say_blind_spots(task, actors):
    """What the connection cannot see of the assignments: in ``not_visible``, and a warning
    when purging."""
    blind = task.provider.blind_spots('assignments')
    if blind:
        task.result['not_visible'] = blind
        if task.params['purge']:
            task.warn('purge revoked only the assignments this connection can see: it cannot see %s, so any '
                      'such access of %s remains (use a project- or system-scoped token to purge everything)'
                      % (' nor '.join(blind), ', '.join(sorted(set('%s %s' % (a.kind, a.ref) for a in actors)))))


def report(task, planned, show):
    """The result of the list form (every assignment after, the purged ones, one entry per item
    with its own diff lines) or of the single form (its assignment)."""
    held, entries, to_add, to_remove, purged, caused = planned
    if task.params['assignments'] is None:
        item, assignment, changed = entries[0]
        if item['state'] == 'absent' and not changed:
            assignment = None  # it did not exist
        task.result['assignment'] = assignment
        return
    gone = set(full_key(task.provider, a) for a in to_remove + purged)
    task.result['assignments'] = [a for key, a in held.items() if key not in gone] + to_add
    task.result['purged'] = purged
    task.result['results'] = [dict(item=item, changed=changed, assignment=assignment)
                              for item, assignment, changed in entries]
    if getattr(task.frame.module, '_diff', False):
        # each entry's own lines: in a loop, the diff callback prints the entries' diffs
        for entry, lines in zip(task.result['results'], caused):
            entry['diff'] = _reconcile.lines_diff(
                [(actor_label(a), show(a)) for sign, a in lines if sign == '+'],
                [(actor_label(a), show(a)) for sign, a in lines if sign == '-'])


def ensure_assignments(task, item_keys):
    items, wheres = task_items(task, item_keys)
    if task.params['assignments'] is not None:  # the frame's view of the list form, for the provider:
        # the top-level options overlaid with each item's own, as the batch form's Task params
        top = dict((k, v) for k, v in task.params.items() if k != 'assignments' and v is not None)
        task.provider.batch = tuple(dict(top, **dict((k, v) for k, v in item.items() if v is not None))
                                    for item in items)
    actors, item_actors = collect_actors(task, items, wheres)
    declared = [where for item, where in zip(items, wheres) if item.get('role') is None]
    if declared and not task.params['purge']:
        task.warn('%s name%s only a user or group: without purge=true that changes nothing'
                  % (', '.join(declared), 's' if len(declared) == 1 else ''))
    resolve_actors(task, actors, items, wheres)
    distinct = set(actor.key or (actor.kind, actor.ref, actor.domain) for actor in actors)
    show = labeller(task.provider, len(distinct) > 1)

    planned = plan(task, actors, item_actors, items, wheres, show)
    dummy, dummy, to_add, to_remove, purged, dummy = planned
    removals = to_remove + purged
    say_blind_spots(task, actors)
    task.changed(bool(to_add or removals))
    # one line per assignment (``+ member on project demo (Default)``), the same in check mode
    task.diff = _reconcile.lines_diff([(actor_label(a), show(a)) for a in to_add],
                                      [(actor_label(a), show(a)) for a in removals if task.provider.revocable(a)])
    if not task.check_mode:
        apply(task, to_add, removals, show)
    report(task, planned, show)
