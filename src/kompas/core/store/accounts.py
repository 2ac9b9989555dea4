"""Organisations, communities and users of the platform, and authentication by bearer token.

Organisation codes and country codes are separate namespaces (:func:`kompas.core.markings.check_org_code`): an
organisation's country is an ISO 3166-1 alpha-2 code and its code is never a country code, so a releasability
list REL TO DE reaches organisations in Germany only. Tokens (:class:`~kompas.core.models.ApiToken`) expire
(:data:`TOKEN_DAYS` after creation unless told otherwise) and can be listed, revoked and rotated; only their
SHA-256 is stored.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kompas.core.markings import (
    Classification,
    Marking,
    MarkingError,
    Viewer,
    check_country,
    check_exercise_code,
    check_org_code,
)
from kompas.core.models import ApiToken, Community, ExerciseParticipant, ExerciseRow, Organisation, User, now_utc
from kompas.core.store.base import Account, StoreBase, StoreError, hash_token, utc_text, viewer_of

ORG_KINDS = ("member-state", "agency", "operator", "partner")
#: Days a new token stays valid (``KOMPAS_TOKEN_DAYS``, default 90).
TOKEN_DAYS = float(os.environ.get("KOMPAS_TOKEN_DAYS", 90))


def _after_days(days: float) -> str:
    """The UTC time ``days`` days from now, as stored (nanoseconds and ``Z``)."""
    if not 0 < days <= 36_600:
        raise StoreError(f"token lifetime must be more than 0 and at most 36600 days, not {days}")
    return utc_text(np.datetime64(time.time_ns(), "ns") + np.timedelta64(round(days * 86_400e9), "ns"))


def _new_token() -> str:
    return "kmp_" + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class TokenInfo:
    """A token as ``kompas admin token list`` shows it (never its secret): id, user, organisation, times (UTC),
    and ``status``: ``active``, ``expired`` or ``revoked``."""

    id: int
    user: str
    org: str
    created_utc: str
    expires_utc: str
    revoked_utc: str | None
    status: str


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of presenting a token: the account (None when refused), the token's id (None when unknown),
    the user it belongs to (also when refused) and why it was refused (empty when accepted)."""

    account: Account | None
    token_id: int | None = None
    user: str | None = None
    reason: str = ""


def _status(token: ApiToken, now: str) -> str:
    if token.revoked_utc is not None:
        return "revoked"
    return "expired" if token.expires_utc <= now else "active"


class AccountsStore(StoreBase):
    """Organisations, communities, users and their tokens."""

    def add_org(self, code: str, country: str, kind: str = "member-state", name: str = "") -> None:
        """Register an organisation. ``code``: A-Z, 0-9, _.-, never an ISO 3166 country code (alpha-2 or
        alpha-3); ``country``: ISO 3166-1 alpha-2 (or EU)."""
        try:
            code, country = check_org_code(code), check_country(country)
        except MarkingError as error:
            raise StoreError(str(error)) from None
        if kind not in ORG_KINDS:
            raise StoreError(f"kind {kind!r} is not one of {', '.join(ORG_KINDS)}")
        with self.session(None) as s:
            if s.scalar(select(Organisation.id).where(Organisation.code == code)) is not None:
                raise StoreError(f"organisation {code} already exists")
            s.add(Organisation(code=code, country=country, kind=kind, name=name or code))

    def add_user(self, name: str, org: str, clearance: str | Classification,
                 communities: Iterable[str] = (), days: float | None = None) -> str:
        """Create a user and return a new bearer token valid for ``days`` days (default :data:`TOKEN_DAYS`; shown
        once, only its hash is kept)."""
        level = clearance if isinstance(clearance, Classification) else Classification.parse(clearance)
        names = Marking(clauses=frozenset([frozenset(communities)])).communities
        token, expires = _new_token(), _after_days(TOKEN_DAYS if days is None else days)
        with self.session(None) as s:
            organisation = s.scalar(select(Organisation).where(Organisation.code == org.strip().upper()))
            if organisation is None:
                raise StoreError(f"organisation {org!r} does not exist; add it with `kompas admin add-org`")
            if s.scalar(select(User.id).where(User.name == name)) is not None:
                raise StoreError(f"user {name!r} already exists")
            created = now_utc()
            user = User(name=name, org=organisation, clearance=int(level), created_utc=created)
            user.communities = [self._community(s, n) for n in sorted(names)]
            s.add(user)
            s.add(ApiToken(user=user, token_hash=hash_token(token), created_utc=created, expires_utc=expires))
        return token

    @staticmethod
    def _community(s: Session, name: str) -> Community:
        found = s.scalar(select(Community).where(Community.name == name))
        if found is None:
            found = Community(name=name)
            s.add(found)
        return found

    def org_exists(self, code: str) -> bool:
        """Whether an organisation with this code is registered."""
        with self.session(None) as s:
            return s.scalar(select(Organisation.id).where(Organisation.code == code.strip().upper())) is not None

    def check_token(self, token: str) -> TokenCheck:
        """Who presents ``token``: the account when the token is known, not revoked and not expired; otherwise no
        account and the reason (``unknown token``, ``revoked token``, ``expired token``)."""
        with self.session(None) as s:
            row = s.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
            if row is None:
                return TokenCheck(None, reason="unknown token")
            status = _status(row, now_utc())
            if status != "active":
                return TokenCheck(None, row.id, row.user.name,
                                  f"{status} token #{row.id} (expired {row.expires_utc})" if status == "expired"
                                  else f"revoked token #{row.id} (revoked {row.revoked_utc})")
            user = row.user
            return TokenCheck(Account(user.id, user.name, user.org.code, viewer_of(user)), row.id, user.name)

    def authenticate(self, token: str) -> Account | None:
        """The account a valid (known, unexpired, unrevoked) bearer token belongs to, or None."""
        return self.check_token(token).account

    def tokens(self, user: str | None = None) -> list[TokenInfo]:
        """Every token (of ``user`` only, when given), oldest first, without secrets. Raises :class:`StoreError`
        for an unknown user."""
        now = now_utc()
        with self.session(None) as s:
            query = select(ApiToken).order_by(ApiToken.id)
            if user is not None:
                query = query.where(ApiToken.user_id == self._user_id(s, user))
            return [TokenInfo(t.id, t.user.name, t.user.org.code, t.created_utc, t.expires_utc, t.revoked_utc,
                              _status(t, now)) for t in s.scalars(query)]

    @staticmethod
    def _user_id(s: Session, name: str) -> int:
        found = s.scalar(select(User.id).where(User.name == name))
        if found is None:
            raise StoreError(f"user {name!r} does not exist")
        return found

    def revoke_tokens(self, token_id: int | None = None, user: str | None = None) -> list[int]:
        """Revoke one token (by id) or every active token of ``user``; returns the ids revoked now (a token
        already revoked stays as it was). Raises :class:`StoreError` for an unknown token or user."""
        if (token_id is None) == (user is None):
            raise StoreError("give a token id or a user, not both")
        now = now_utc()
        with self.session(None) as s:
            query = select(ApiToken.id).where(ApiToken.revoked_utc.is_(None))
            if token_id is not None:
                if s.get(ApiToken, token_id) is None:
                    raise StoreError(f"token #{token_id} does not exist (see `kompas admin token list`)")
                query = query.where(ApiToken.id == token_id)
            else:
                query = query.where(ApiToken.user_id == self._user_id(s, str(user)))
            ids = list(s.scalars(query.order_by(ApiToken.id)))
            if ids:
                s.execute(update(ApiToken).where(ApiToken.id.in_(ids)).values(revoked_utc=now))
            return ids

    def rotate_token(self, user: str, days: float | None = None) -> tuple[int, str, list[int]]:
        """A new token for ``user`` valid for ``days`` days (default :data:`TOKEN_DAYS`), every other token of the
        user revoked in the same transaction: (new token id, the token, ids revoked)."""
        token, expires = _new_token(), _after_days(TOKEN_DAYS if days is None else days)
        now = now_utc()
        with self.session(None) as s:
            user_id = self._user_id(s, user)
            ids = list(s.scalars(select(ApiToken.id).where(ApiToken.user_id == user_id,
                                                           ApiToken.revoked_utc.is_(None)).order_by(ApiToken.id)))
            if ids:
                s.execute(update(ApiToken).where(ApiToken.id.in_(ids)).values(revoked_utc=now))
            row = ApiToken(user_id=user_id, token_hash=hash_token(token), created_utc=now, expires_utc=expires)
            s.add(row)
            s.flush()
            return row.id, token, ids

    def accounts(self, user_ids: Iterable[int]) -> dict[int, Account]:
        """Accounts by user id (for work done on a user's behalf, such as webhook deliveries)."""
        with self.session(None) as s:
            return {u.id: Account(u.id, u.name, u.org.code, viewer_of(u))
                    for u in s.scalars(select(User).where(User.id.in_(set(user_ids))))}

    def account(self, name: str) -> Account | None:
        """The account of the user called ``name`` (for commands run on a user's behalf), or None."""
        with self.session(None) as s:
            user = s.scalar(select(User).where(User.name == name))
            return None if user is None else Account(user.id, user.name, user.org.code, viewer_of(user))

    # --- exercises: who takes part, and the exercise context --------------------------------------------------

    def add_exercise(self, code: str, title: str, participants: Iterable[str], controller: str | None = None) -> str:
        """Register exercise ``code`` (its items are marked ``EXERCISE <CODE>``), run by organisation ``controller``
        (default the first participant), with the organisations taking part (the controller among them); an
        existing exercise gains the participants named (none is removed), and only from its own controller. Returns
        the code. Raises :class:`StoreError` for an unknown organisation or another organisation's exercise,
        MarkingError for a malformed code."""
        exercise = check_exercise_code(code)
        named = [o.strip().upper() for o in participants]
        control = (controller or (named[0] if named else "")).strip().upper()
        orgs = sorted({*named, control} - {""})
        with self.session(None) as s:
            known = set(s.scalars(select(Organisation.code).where(Organisation.code.in_(orgs))))
            missing = [o for o in orgs if o not in known]
            if missing or not control:
                raise StoreError(f"organisation {(missing or [''])[0]!r} does not exist (see `kompas admin add-org`)")
            row = s.get(ExerciseRow, exercise)
            if row is None:
                s.add(ExerciseRow(code=exercise, title=title.strip()[:200] or exercise, controller=control,
                                  created_utc=now_utc()))
                s.flush()
            elif row.controller != control:
                raise StoreError(f"exercise {exercise} is run by another organisation: only its exercise control "
                                 "builds its scenario and adds participants")
            have = set(s.scalars(select(ExerciseParticipant.org).where(ExerciseParticipant.exercise == exercise)))
            s.add_all(ExerciseParticipant(exercise=exercise, org=o) for o in orgs if o not in have)
        return exercise

    def exercises_of(self, org: str) -> list[tuple[str, str]]:
        """(code, title) of every exercise organisation ``org`` takes part in, by code."""
        with self.session(None) as s:
            rows = s.execute(select(ExerciseRow.code, ExerciseRow.title).join(
                ExerciseParticipant, ExerciseParticipant.exercise == ExerciseRow.code)
                .where(ExerciseParticipant.org == org).order_by(ExerciseRow.code))
            return [(code, title) for code, title in rows]

    def exercise_controller(self, code: str) -> str | None:
        """The organisation running exercise ``code`` (None when there is no such exercise)."""
        with self.session(None) as s:
            row = s.get(ExerciseRow, code.strip().upper())
            return None if row is None else row.controller

    def exercise_participants(self, code: str) -> list[str] | None:
        """The organisations taking part in exercise ``code`` (sorted), or None when there is no such exercise."""
        with self.session(None) as s:
            if s.get(ExerciseRow, code.strip().upper()) is None:
                return None
            return sorted(s.scalars(select(ExerciseParticipant.org)
                                    .where(ExerciseParticipant.exercise == code.strip().upper())))

    def in_exercise(self, account: Account, code: str | None) -> Account:
        """``account`` working in the context of exercise ``code`` (None: the real world). The one place a viewer
        gains an exercise context: :class:`StoreError` unless the account's organisation takes part in it (an
        exercise that does not exist and one the caller is not in get the same answer)."""
        if code is None:
            return replace(account, viewer=replace(account.viewer, exercise=None))
        try:
            exercise = check_exercise_code(code)
        except MarkingError:
            raise StoreError(f"{code!r} is not an exercise code") from None
        with self.session(None) as s:
            taking_part = s.scalar(select(ExerciseParticipant.org).where(
                ExerciseParticipant.exercise == exercise, ExerciseParticipant.org == account.org))
        if taking_part is None:
            raise StoreError(f"{account.name} takes part in no exercise {exercise}")
        return replace(account, viewer=replace(account.viewer, exercise=exercise))


def attribution(s: Session, viewer: Viewer) -> Callable[[str], str]:
    """A function rewriting a text shown to ``viewer`` so that the name of a user of another organisation becomes
    that organisation's code (organisation-level attribution); names of the viewer's own organisation stay. A name
    counts where it stands alone (not inside a longer name or word). Built once per session and viewer."""
    cache = s.info.setdefault("attribution", {})
    if viewer.org in cache:
        rewrite: Callable[[str], str] = cache[viewer.org]
        return rewrite
    rows = s.execute(select(User.name, Organisation.code).join(Organisation, User.org_id == Organisation.id)
                     .where(Organisation.code != viewer.org)).all()
    others = {name: code for name, code in rows if name}
    if not others:
        def rewrite(text: str) -> str:
            return text
    else:
        pattern = re.compile(r"(?<![\w.@-])(" + "|".join(re.escape(n) for n in sorted(others, key=len, reverse=True))
                             + r")(?![\w.@-])")

        def rewrite(text: str) -> str:
            return pattern.sub(lambda m: others[m.group(1)], text) if text else text
    cache[viewer.org] = rewrite
    return rewrite
