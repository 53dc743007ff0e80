"""Password hashing with Argon2id (memory-hard), through argon2-cffi, and password rules.

``common-passwords.txt`` beside this module holds the 10,000 commonest passwords, most
common first: the start of the list Django ships (``django/contrib/auth/common-passwords.txt.gz``,
itself Royce Williams's list of the 20,000 commonest passwords in public breach corpora).
"""

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2-cffi's defaults: Argon2id, 64 MiB, 3 passes
# Verifying against this keeps the time of a login for an unknown account like a real one.
_dummy_hash = _hasher.hash("not a password anyone has")

MIN_LENGTH = 12
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")


def configure(time_cost: int, memory_cost: int) -> None:
    """Set the Argon2id cost for this process (from ARGON2_TIME_COST / ARGON2_MEMORY_COST).

    Hashes made with other costs still verify; they are rehashed at the next sign-in.
    """
    global _hasher, _dummy_hash
    if (_hasher.time_cost, _hasher.memory_cost) != (time_cost, memory_cost):
        _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)
        _dummy_hash = _hasher.hash("not a password anyone has")


def hash_password(password: str) -> str:
    """Return an Argon2id hash of *password*."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when *password* matches *password_hash*; spends the same time when there is none."""
    try:
        return _hasher.verify(password_hash or _dummy_hash, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """Why *password* is too weak to accept, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be at least {MIN_LENGTH} characters"
    if password.isalpha() or password.isdigit():
        return "Password must mix letters with numbers or symbols"
    if _is_common(password):
        return "Password is too easy to guess: it is one of the commonest passwords"
    return None


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(COMMON_PASSWORDS.read_text(encoding="utf-8").split())


def _is_common(password: str) -> bool:
    """True when *password*, or its letters without digits and symbols around them, is
    a common password ("Password1234!" is "password" with a suffix)."""
    lowered = password.lower()
    core = lowered.strip("0123456789!@#$%^&*()-_=+.,;:?~ ")
    return lowered in _common_passwords() or core in _common_passwords()
