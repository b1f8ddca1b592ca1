"""Settings from environment variables (prefix STOCKFRONT_), with safe defaults."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class ConfigError(RuntimeError):
    """A setting is missing or malformed; raised at start, never silently defaulted."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == '':
        return default
    if raw.lower() in {'1', 'true', 'yes', 'on'}:
        return True
    if raw.lower() in {'0', 'false', 'no', 'off'}:
        return False
    raise ConfigError(f'{name} must be true or false, not {raw!r}')


def _int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == '':
        return default
    try:
        value = int(raw)
    except ValueError as e:
        raise ConfigError(f'{name} must be a whole number, not {raw!r}') from e
    if value < minimum:
        raise ConfigError(f'{name} must be at least {minimum}')
    return value


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _networks(name: str) -> tuple[Network, ...]:
    """A comma-separated list of addresses and CIDR blocks (`10.0.0.5, 10.1.0.0/16, ::1`); empty means none."""
    networks = []
    for item in (os.environ.get(name) or '').split(','):
        if item := item.strip():
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError as e:
                raise ConfigError(f'{name}: {item!r} is not an address or a CIDR block') from e
    return tuple(networks)


SMTP_SECURITY = ('none', 'starttls', 'ssl')


def _smtp_security() -> str:
    raw = (os.environ.get('STOCKFRONT_SMTP_SECURITY') or 'none').strip().lower()
    if raw not in SMTP_SECURITY:
        raise ConfigError(f'STOCKFRONT_SMTP_SECURITY must be none, starttls or ssl, not {raw!r}')
    return raw


def _addresses(name: str) -> tuple[str, ...]:
    """A comma-separated list of e-mail addresses; empty means none."""
    found = []
    for item in (os.environ.get(name) or '').split(','):
        if item := item.strip():
            if not EMAIL_RE.fullmatch(item):
                raise ConfigError(f'{name}: {item!r} is not an e-mail address')
            found.append(item)
    return tuple(found)


# one @, no spaces or angle brackets, a dot in the domain: what a person types, not all RFC 5322 allows
EMAIL_RE = re.compile(r'[^@\s<>,;"]+@[^@\s<>,;"]+\.[^@\s<>,;".]+')


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    host: str
    port: int
    storage_secret: str
    session_lifetime_s: int
    session_idle_s: int
    https_only: bool
    demo_data: bool
    bcrypt_rounds: int
    max_upload_bytes: int
    production: bool
    # the reverse proxies whose X-Forwarded-For is believed (app/identity/auth.client_address); none by default
    trusted_proxies: tuple[Network, ...] = ()
    # mail (app/mail): without an SMTP host mails stay in the outbox, readable in the admin area
    smtp_host: str = ''
    smtp_port: int = 25
    smtp_user: str = ''
    smtp_password: str = ''
    smtp_security: str = 'none'  # none | starttls | ssl
    mail_from: str = 'stockfront@localhost'
    order_alerts: tuple[str, ...] = ()  # who gets the supplier's new-order alert
    public_url: str = 'http://127.0.0.1:8080'  # the portal's address in mails' links

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / 'uploads'


def _storage_secret(data_dir: Path, production: bool) -> str:
    """The secret from the environment, or one generated once and kept in data/ (mode 0600)."""
    if secret := os.environ.get('STOCKFRONT_STORAGE_SECRET'):
        if len(secret) < 32:
            raise ConfigError('STOCKFRONT_STORAGE_SECRET must be at least 32 characters')
        return secret
    if production:
        raise ConfigError('STOCKFRONT_STORAGE_SECRET must be set when STOCKFRONT_PRODUCTION is on')
    path = data_dir / 'secret.key'
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)  # 48 random bytes
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(secret)
    return secret


def load() -> Settings:
    data_dir = Path(os.environ.get('STOCKFRONT_DATA_DIR') or ROOT / 'data').resolve()
    production = _bool('STOCKFRONT_PRODUCTION', False)
    default_db = f'sqlite:///{data_dir / "stockfront.db"}'
    host = os.environ.get('STOCKFRONT_HOST') or '127.0.0.1'  # the demo's published logins stay on this machine
    port = _int('STOCKFRONT_PORT', 8080, minimum=1)
    # without STOCKFRONT_PUBLIC_URL the mails' links go where the portal listens (every interface: this machine's)
    here = f'http://{"127.0.0.1" if host in {"0.0.0.0", "::"} else host}:{port}'  # noqa: S104 - compared, not bound
    return Settings(
        data_dir=data_dir,
        database_url=os.environ.get('STOCKFRONT_DATABASE_URL') or default_db,
        host=host,
        port=port,
        storage_secret=_storage_secret(data_dir, production),
        session_lifetime_s=_int('STOCKFRONT_SESSION_LIFETIME', 12 * 3600, minimum=60),
        session_idle_s=_int('STOCKFRONT_SESSION_IDLE', 2 * 3600, minimum=60),
        https_only=_bool('STOCKFRONT_HTTPS_ONLY', False),
        demo_data=_bool('STOCKFRONT_DEMO_DATA', not production),
        bcrypt_rounds=_int('STOCKFRONT_BCRYPT_ROUNDS', 12, minimum=4),
        max_upload_bytes=_int('STOCKFRONT_MAX_UPLOAD_BYTES', 5 * 1024 * 1024, minimum=1024),
        production=production,
        trusted_proxies=_networks('STOCKFRONT_TRUSTED_PROXIES'),
        smtp_host=(os.environ.get('STOCKFRONT_SMTP_HOST') or '').strip(),
        smtp_port=_int('STOCKFRONT_SMTP_PORT', 25, minimum=1),
        smtp_user=os.environ.get('STOCKFRONT_SMTP_USER') or '',
        smtp_password=os.environ.get('STOCKFRONT_SMTP_PASSWORD') or '',
        smtp_security=_smtp_security(),
        mail_from=(os.environ.get('STOCKFRONT_MAIL_FROM') or 'stockfront@localhost').strip(),
        order_alerts=_addresses('STOCKFRONT_ORDER_ALERTS'),
        public_url=(os.environ.get('STOCKFRONT_PUBLIC_URL') or here).strip().rstrip('/'),
    )


_settings: Settings | None = None


def get() -> Settings:
    global _settings
    if _settings is None:
        _settings = load()
    return _settings


def set_settings(settings: Settings | None) -> None:
    """Replace the settings (start-up and tests)."""
    global _settings
    _settings = settings
