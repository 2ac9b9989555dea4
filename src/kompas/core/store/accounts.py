"""Organisations, communities and users of the platform, and authentication by bearer token."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kompas.core.markings import Classification, Marking
from kompas.core.models import Community, Organisation, User, now_utc
from kompas.core.store.base import Account, StoreBase, StoreError, hash_token, viewer_of

ORG_KINDS = ("member-state", "agency", "operator", "partner")


class AccountsStore(StoreBase):
    """Organisations, communities, users and their tokens."""

    def add_org(self, code: str, country: str, kind: str = "member-state", name: str = "") -> None:
        """Register an organisation (code: A-Z, 0-9, _.-; country: ISO 3166 alpha-2)."""
        code, country = code.strip().upper(), country.strip().upper()
        Marking(originators=frozenset([code]))  # validates the code
        if len(country) != 2 or not country.isalpha():
            raise StoreError(f"country {country!r} is not an ISO 3166 alpha-2 code")
        if kind not in ORG_KINDS:
            raise StoreError(f"kind {kind!r} is not one of {', '.join(ORG_KINDS)}")
        with self.session(None) as s:
            if s.scalar(select(Organisation.id).where(Organisation.code == code)) is not None:
                raise StoreError(f"organisation {code} already exists")
            s.add(Organisation(code=code, country=country, kind=kind, name=name or code))

    def add_user(self, name: str, org: str, clearance: str | Classification,
                 communities: Iterable[str] = ()) -> str:
        """Create a user and return a new bearer token (shown once; only its hash is kept)."""
        level = clearance if isinstance(clearance, Classification) else Classification.parse(clearance)
        names = Marking(clauses=frozenset([frozenset(communities)])).communities
        token = "kmp_" + secrets.token_urlsafe(32)
        with self.session(None) as s:
            organisation = s.scalar(select(Organisation).where(Organisation.code == org.strip().upper()))
            if organisation is None:
                raise StoreError(f"organisation {org!r} does not exist; add it with `kompas admin add-org`")
            if s.scalar(select(User.id).where(User.name == name)) is not None:
                raise StoreError(f"user {name!r} already exists")
            user = User(name=name, org=organisation, clearance=int(level), token_hash=hash_token(token),
                        created_utc=now_utc())
            user.communities = [self._community(s, n) for n in sorted(names)]
            s.add(user)
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

    def authenticate(self, token: str) -> Account | None:
        """The account a bearer token belongs to, or None."""
        with self.session(None) as s:
            user = s.scalar(select(User).where(User.token_hash == hash_token(token)))
            return None if user is None else Account(user.id, user.name, user.org.code, viewer_of(user))

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
