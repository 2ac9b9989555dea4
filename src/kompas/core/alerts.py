"""Alert subscriptions delivered by webhook, signed with HMAC-SHA256.

A subscription names a URL and the alert kinds it wants (``conjunction``, ``event``, ``tracked-event`` (an
update of a tracked conjunction event, :mod:`kompas.space.tracking`), and for the FIMI Rapid Alert System
``fimi-incident`` and ``fimi-surge``), with optional rules (:func:`check_rules`): watched targets (an incident or
surge matches when it targets one of them), for surges a least number of outlets or languages, and for
``tracked-event`` per-asset thresholds (:data:`kompas.space.tracking.RULE_KEYS`: ``norad_ids``, ``red_pc``,
``yellow_pc``, ``min_level``, ``min_pc``, ``max_miss_km``, ``within_hours``, ``level_change``; all given must
hold). The URL must be a public destination (:func:`kompas.core.outbox.check_destination`: no loopback,
private, link-local or other internal addresses unless an administrator allowed the host in
``$KOMPAS_WEBHOOK_ALLOW``).

The transaction that stores new items queues their alerts (:func:`kompas.core.outbox.queue_alerts`, when some
subscription wants the kind); :func:`deliver`, called after storing, and the outbox workers turn them into one
delivery per matching subscription and item *whose owner may see it* (:func:`plan`: the item is re-read through
the store in a session serving the owner, so the access rule decides, not this module) and return at once:
workers of :mod:`kompas.core.outbox` post them, retry failures with backoff and record the outcomes in the audit
log; nothing is posted inside a request.

Each delivery is a POST of JSON ``{"kind": ..., "item": {...}}`` with headers ``X-Kompas-Signature:
sha256=<hex HMAC-SHA256 of the body under the subscription's secret>`` and ``X-Kompas-Delivery`` (the same id
for every attempt of one delivery: receivers drop repeats by it); receivers verify with :func:`signature`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select

from kompas.core import incidents, outbox
from kompas.core.markings import Viewer
from kompas.core.models import Subscription, now_utc
from kompas.core.store import Account, Store, StoreError

KINDS = ("conjunction", "event", "fimi-incident", "fimi-surge", "tracked-event")
RULE_KEYS = {"targets": list, "min_outlets": int, "min_languages": int}


def check_rules(rules: dict | None) -> dict | None:
    """Validated subscription rules (None for none); raises StoreError naming the bad key."""
    if not rules:
        return None
    if not isinstance(rules, dict):
        raise StoreError("rules must be an object")
    from kompas.space import tracking

    try:
        tracking.check_rules(rules)
    except ValueError as error:
        raise StoreError(str(error)) from None
    for key, value in rules.items():
        if key in tracking.RULE_KEYS:
            continue
        if key not in RULE_KEYS:
            raise StoreError(f"rules: unknown key {key!r} (known: {', '.join((*RULE_KEYS, *tracking.RULE_KEYS))})")
        if key == "targets" and not (isinstance(value, list) and value and len(value) <= 100
                                     and all(isinstance(v, str) and 0 < len(v) <= 100 for v in value)):
            raise StoreError("rules.targets must be a list of 1 to 100 names")
        if key != "targets" and not (isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1000):
            raise StoreError(f"rules.{key} must be an integer from 0 to 1000")
    return dict(rules)


def matches(rules: dict | None, kind: str, item: Mapping[str, Any]) -> bool:
    """True when ``item`` (of ``kind``) meets the subscription's rules."""
    if not rules:
        return True
    if kind == "tracked-event":
        from kompas.space import tracking

        return tracking.rule_matches(rules, item)
    if "targets" in rules:
        watched = {t.lower() for t in rules["targets"]}
        names = [t["name"] if isinstance(t, dict) else t for t in item.get("targets", [])]
        if not watched & {n.lower() for n in names}:
            return False
    if kind == "fimi-surge":
        return (len(item.get("outlets", [])) >= rules.get("min_outlets", 0)
                and len(item.get("languages", [])) >= rules.get("min_languages", 0))
    return True


def signature(secret: str, body: bytes) -> str:
    """The ``X-Kompas-Signature`` header value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def subscribe(store: Store, account: Account, url: str, kinds: Iterable[str], rules: dict | None = None) -> dict:
    """Create a subscription for ``account`` (with optional :func:`check_rules` rules); returns it with its secret
    (shown once). Raises :class:`~kompas.core.outbox.UnsafeDestination` for a URL Kompas does not post to."""
    kinds = sorted(set(kinds))
    if not kinds or any(k not in KINDS for k in kinds):
        raise StoreError(f"kinds must be a non-empty subset of {', '.join(KINDS)}")
    if not url.startswith(("http://", "https://")):
        raise StoreError("url must be an http:// or https:// address")
    rules = check_rules(rules)
    outbox.check_destination(url)  # UnsafeDestination (a StoreError) saying why
    secret = secrets.token_hex(32)
    with store.session(None) as s:
        row = Subscription(user_id=account.user_id, url=url, kinds=kinds, rules=rules, secret=secret,
                           created_utc=now_utc(), exercise=account.viewer.exercise)
        s.add(row)
        s.flush()
        return {"id": row.id, "url": url, "kinds": kinds, "rules": rules, "secret": secret,
                "created_utc": row.created_utc, "exercise": row.exercise}


def subscriptions(store: Store, account: Account) -> list[dict]:
    """The account's subscriptions (without secrets)."""
    with store.session(None) as s:
        rows = s.scalars(select(Subscription).where(Subscription.user_id == account.user_id)
                         .order_by(Subscription.created_utc)).all()
        return [{"id": r.id, "url": r.url, "kinds": r.kinds, "rules": r.rules, "created_utc": r.created_utc,
                 "exercise": r.exercise} for r in rows]


def unsubscribe(store: Store, account: Account, subscription_id: str) -> bool:
    """Delete one of the account's subscriptions; False when it has none with that id."""
    with store.session(None) as s:
        row = s.scalar(select(Subscription).where(Subscription.id == subscription_id,
                                                  Subscription.user_id == account.user_id))
        if row is None:
            return False
        s.delete(row)
    outbox.forget(store, subscription_id)
    return True


def read_item(store: Store, kind: str, viewer: Viewer, item_id: str) -> Mapping[str, Any] | None:
    """The item ``item_id`` of alert ``kind`` as ``viewer`` may see it (None when they may not, or it is gone)."""
    if kind == "conjunction":
        return store.conjunction(viewer, item_id)
    if kind == "event":
        return store.event(viewer, item_id)
    if kind == "fimi-incident":
        return incidents.incident(store, viewer, item_id)
    if kind == "fimi-surge":
        return incidents.surge(store, viewer, item_id)
    if kind == "tracked-event":
        return store.conjunction_event_update(viewer, item_id)
    raise ValueError(f"unknown alert kind {kind!r}")


def plan(store: Store, queued: Sequence[tuple[str, str, str]]) -> dict[str, list[tuple[str, str, str]]]:
    """For each queued alert ``(alert id, kind, item id)``, the deliveries ``(subscription id, kind, item id)`` to
    make: one per subscription that wants the kind, whose rules the item meets and whose owner may see it (the
    item is read through the store in a session serving the owner)."""
    with store.session(None) as s:
        subs = [(r.id, r.user_id, r.rules, list(r.kinds or ()), r.exercise) for r in s.scalars(select(Subscription))]
    accounts = store.accounts({sub[1] for sub in subs})
    viewers = {(sub[1], sub[4]): v for sub in subs if (v := subscriber(store, accounts.get(sub[1]), sub[4]))}
    seen: dict[tuple[int, str | None, str, str], Mapping[str, Any] | None] = {}
    out: dict[str, list[tuple[str, str, str]]] = {}
    for alert_id, kind, item_id in queued:
        out[alert_id] = []
        for sub_id, user_id, rules, kinds, exercise in subs:
            if kind not in kinds or (user_id, exercise) not in viewers:
                continue
            key = (user_id, exercise, kind, item_id)
            if key not in seen:  # None unless the owner may see it (in the subscription's exercise, if any)
                seen[key] = read_item(store.in_context(exercise), kind, viewers[(user_id, exercise)], item_id)
            item = seen[key]
            if item is not None and matches(rules, kind, item):
                out[alert_id].append((sub_id, kind, item_id))
    return out


def subscriber(store: Store, account: Account | None, exercise: str | None) -> Viewer | None:
    """Who reads a subscription's items: its owner, in the exercise it was made in (None when the owner is gone or
    their organisation no longer takes part: its alerts then stop)."""
    if account is None:
        return None
    if exercise is None:
        return account.viewer
    try:
        return store.in_exercise(account, exercise).viewer
    except StoreError:
        return None


def deliver(store: Store, kind: str | None = None, item_ids: Iterable[str] = ()) -> None:
    """Wake this process's delivery workers (:class:`kompas.core.outbox.Worker`): called right after new items are
    stored, whose alerts the storing transaction queued itself (``kind`` and ``item_ids``, the items just stored,
    are accepted for the callers' record and not needed). Nothing is expanded or read here, so a request that
    stores items pays nothing for their subscribers: the workers expand the alerts (:func:`kompas.core.outbox
    .expand`, reading each item as each subscriber) and post them; a process without workers (a CLI command)
    leaves them to the server's workers or ``kompas admin deliver``."""
    outbox.notify()
