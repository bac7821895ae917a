"""Every package in the source tree is one the wheel ships (pyproject lists them by name)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for top in ("monitor", "reports") for init in (ROOT / top).rglob("__init__.py")}
    missing = sorted(found - listed)
    assert not missing, f"not shipped in the wheel (add to [tool.setuptools] packages): {missing}"
