"""Every security test starts on its own copy of the seeded demo portal (see support.py)."""

from tests.security.support import portal  # noqa: F401 - the autouse fixture
