"""Staff accounts and their login sessions.

Passwords are hashed with argon2. A session is a random token in a cookie;
the database keeps only its SHA-256, with the session's CSRF token and expiry.
Disabling an account ends its sessions at once.
"""
import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import List, Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.answer_store import audit, tables
from bot.answer_store.times import as_utc, now
from bot.errors import AssistantError

NAME_PATTERN = re.compile(r"[A-Za-z0-9_.@-]{2,80}")  # ASCII: no look-alike letters
MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# Verified when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class StaffError(AssistantError, ValueError):
    """A staff account cannot be created or changed; the message says why, in Danish."""

    status, code = 422, "medarbejder_afvist"


@dataclass(frozen=True)
class StaffUser:
    name: str
    is_admin: bool
    active: bool
    created_at: datetime.datetime


@dataclass(frozen=True)
class StaffSession:
    user: StaffUser
    csrf_token: str
    expires_at: datetime.datetime


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"Adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn.")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _user(row) -> StaffUser:
    return StaffUser(row.name, row.is_admin, row.active, as_utc(row.created_at))


class StaffStore:
    def __init__(self, engine: sa.engine.Engine, session_hours: float = 8):
        self.engine = engine
        self.session_length = datetime.timedelta(hours=session_hours)

    # --- accounts -------------------------------------------------------------

    def list(self) -> List[StaffUser]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(tables.staff_users).order_by(tables.staff_users.c.name)).all()
        return [_user(row) for row in rows]

    def get(self, name: str) -> Optional[StaffUser]:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(tables.staff_users).where(tables.staff_users.c.name == name)).first()
        return _user(row) if row else None

    def add(self, name: str, password: str, is_admin: bool = False, by: str = "system") -> StaffUser:
        if not NAME_PATTERN.fullmatch(name or ""):
            raise StaffError("Brugernavnet skal have 2-80 tegn: bogstaverne a-z (uden æ, ø og å), tal, punktum, @, - eller _.")
        check_password(password)
        with self.engine.begin() as connection:
            exists = connection.execute(
                sa.select(tables.staff_users.c.name).where(tables.staff_users.c.name == name)
            ).first()
            if exists:
                raise StaffError(f"Der findes allerede en medarbejder med brugernavnet '{name}'.")
            connection.execute(sa.insert(tables.staff_users).values(
                name=name, password_hash=_hasher.hash(password), is_admin=is_admin, active=True, created_at=now(),
            ))
            audit.record(connection, by, "user_added", details=f"{name}{' (administrator)' if is_admin else ''}")
        return self.get(name)

    def set_active(self, name: str, active: bool, by: str = "system") -> StaffUser:
        with self.engine.begin() as connection:
            result = connection.execute(
                sa.update(tables.staff_users).where(tables.staff_users.c.name == name).values(active=active)
            )
            if result.rowcount != 1:
                raise StaffError(f"Der findes ingen medarbejder med brugernavnet '{name}'.")
            if not active:
                connection.execute(sa.delete(tables.staff_sessions).where(tables.staff_sessions.c.user_name == name))
            audit.record(connection, by, "user_enabled" if active else "user_disabled", details=name)
        return self.get(name)

    def set_password(self, name: str, password: str, by: str = "system") -> None:
        check_password(password)
        with self.engine.begin() as connection:
            result = connection.execute(
                sa.update(tables.staff_users).where(tables.staff_users.c.name == name)
                .values(password_hash=_hasher.hash(password))
            )
            if result.rowcount != 1:
                raise StaffError(f"Der findes ingen medarbejder med brugernavnet '{name}'.")
            connection.execute(sa.delete(tables.staff_sessions).where(tables.staff_sessions.c.user_name == name))
            audit.record(connection, by, "password_changed", details=name)

    def verify(self, name: str, password: str) -> Optional[StaffUser]:
        """The active user with this name and password, else None."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(tables.staff_users).where(tables.staff_users.c.name == name)).first()
        try:
            _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return _user(row) if row and row.active else None

    # --- sessions ---------------------------------------------------------------

    def start_session(self, user: StaffUser) -> str:
        """Log ``user`` in; returns the token for the session cookie."""
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            connection.execute(sa.delete(tables.staff_sessions).where(tables.staff_sessions.c.expires_at < now()))
            connection.execute(sa.insert(tables.staff_sessions).values(
                token_hash=_token_hash(token), user_name=user.name, csrf_token=secrets.token_urlsafe(32),
                expires_at=now() + self.session_length,
            ))
            audit.record(connection, user.name, "logged_in")
        return token

    def session(self, token: Optional[str]) -> Optional[StaffSession]:
        """The live session of an active user for this cookie token, else None."""
        if not token:
            return None
        query = (sa.select(tables.staff_sessions, tables.staff_users)
                 .join(tables.staff_users, tables.staff_users.c.name == tables.staff_sessions.c.user_name)
                 .where(tables.staff_sessions.c.token_hash == _token_hash(token)))
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None or not row.active or as_utc(row.expires_at) < now():
            return None
        return StaffSession(_user(row), row.csrf_token, as_utc(row.expires_at))

    def record_refused_login(self, name: str, status: int) -> None:
        with self.engine.begin() as connection:
            audit.record(connection, name[:80] or "?", "login_refused", details=f"HTTP {status}")

    def end_session(self, token: str, user_name: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                sa.delete(tables.staff_sessions).where(tables.staff_sessions.c.token_hash == _token_hash(token))
            )
            audit.record(connection, user_name, "logged_out")
