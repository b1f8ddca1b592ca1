"""Password rules and bcrypt hashing.

bcrypt reads at most 72 bytes. Passwords are pre-hashed (SHA-256, base64: 44 bytes, no NUL) so
that all 128 characters of any script count and the limit never surfaces as an error.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import string

import bcrypt

from app.core import config
from app.core.errors import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 128


def validate(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise ValidationError('The password must be at least {limit} characters long.', 'password', limit=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise ValidationError('The password must be at most {limit} characters long.', 'password', limit=MAX_LENGTH)
    if not password.strip():
        raise ValidationError('The password cannot be only spaces.', 'password')


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode('utf-8')).digest())


def hash_password(password: str, *, rounds: int | None = None) -> str:
    validate(password)
    salt = bcrypt.gensalt(rounds or config.get().bcrypt_rounds)
    return bcrypt.hashpw(_prehash(password), salt).decode('ascii')


def verify(password: str, password_hash: str) -> bool:
    if not password_hash:  # an invited user who has not chosen a password yet: nothing matches, as slowly as a check
        verify_dummy(password if isinstance(password, str) else '')
        return False
    if not isinstance(password, str) or len(password) > MAX_LENGTH * 4:
        return False
    try:
        return bcrypt.checkpw(_prehash(password), password_hash.encode('ascii'))
    except ValueError:
        return False


_dummy_hash: str | None = None


def verify_dummy(password: str) -> None:
    """Spend the time of a real check, so an unknown user name answers as slowly as a wrong password."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password(secrets.token_urlsafe(16))
    verify(password, _dummy_hash)


def generate(length: int = 14) -> str:
    """A password to show once to the supplier; no look-alike characters."""
    alphabet = ''.join(c for c in string.ascii_letters + string.digits if c not in 'Il1O0o')
    return ''.join(secrets.choice(alphabet) for _ in range(length))
