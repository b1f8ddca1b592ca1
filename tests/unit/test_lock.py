"""The lock file (constraints.txt, `make lock`) that `make run` and `make test` install from covers every dependency
in pyproject.toml, within its range, and this environment runs the locked versions."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']
    extras = project.get('optional-dependencies', {})
    return [
        Requirement(line) for line in project['dependencies'] + [line for group in extras.values() for line in group]
    ]


def locked() -> dict[str, tuple[str, Marker | None]]:
    pins = {}
    for raw in (ROOT / 'constraints.txt').read_text().splitlines():
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        (pin,) = requirement.specifier
        assert pin.operator == '==', f'{line}: a lock pins exact versions'
        pins[canonicalize_name(requirement.name)] = (pin.version, requirement.marker)
    return pins


def test_every_dependency_is_locked_within_its_range_and_installed_at_that_version() -> None:
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f'{requirement.name} is not in constraints.txt: run `make lock`'
        pinned, marker = pins[name]
        assert requirement.specifier.contains(pinned, prereleases=True), f'{name}=={pinned} is outside {requirement}'
        if marker is None or marker.evaluate():
            try:
                assert version(name) == pinned, f'{name} {version(name)} is installed, the lock says {pinned}'
            except PackageNotFoundError:
                raise AssertionError(f'{name} is locked but not installed: make test installs from the lock') from None


def test_nicegui_is_held_to_one_minor_version() -> None:
    """components/nicegui_tuning.py patches NiceGUI internals: a new minor version comes only with a deliberate edit."""
    (nicegui,) = [r for r in declared() if canonicalize_name(r.name) == 'nicegui']
    pinned = Version(locked()['nicegui'][0])
    assert nicegui.specifier.contains(pinned)
    assert not nicegui.specifier.contains(f'{pinned.major}.{pinned.minor + 1}.0')
