"""The package as pip installs it: importable and working from any folder, with the schema and catalog inside it,
and dependency floors no lower than the features the code uses."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _floor(requirements: list[str], name: str) -> tuple[int, ...]:
    (spec,) = [r for r in requirements if re.match(rf"{name}\b", r)]
    return tuple(int(n) for n in re.search(r">=\s*([\d.]+)", spec).group(1).split("."))


def test_dependency_floors_cover_what_the_code_uses():
    assert _floor(PYPROJECT["project"]["dependencies"], "shapely") >= (2, 1)  # orient_polygons, make_valid(method=)
    assert _floor(PYPROJECT["build-system"]["requires"], "setuptools") >= (77,)  # license = "MIT" (SPDX)


def test_a_plain_install_works_from_another_folder(tmp_path):
    """Build a wheel, install it (no editable link to the checkout) into a fresh environment that borrows this
    one's dependencies, and run ``cpec-map list`` from an unrelated folder."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-w", str(wheels), str(REPO)], check=True, capture_output=True)
    (wheel,) = wheels.glob("cpec_mapper-*.whl")
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # Only the dependencies: a .pth file names a folder, and that folder's own .pth files (the editable link
    # to this checkout among them) are not run.
    (site / "borrowed.pth").write_text("".join(f"{p}\n" for p in sys.path if p.endswith("site-packages")))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--disable-pip-version-check", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CPEC_DATA_DIR", "PYTHONPATH")}
    found = subprocess.run([python, "-c", "import geo, geo.schema as s; print(geo.__file__); print(s.SCHEMA_PATH)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    where = found.stdout.split()
    assert all(path.startswith(str(site)) for path in where), where
    listed = subprocess.run([env_dir / "bin" / "cpec-map", "list", "--format", "csv"], cwd=elsewhere, env=env,
                            capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    shipped = sorted(p.name for p in (REPO / "data").iterdir() if p.suffix in (".geojson", ".json"))
    assert sorted(p.name for p in (site / "geo" / "data").iterdir()) == shipped
    assert sorted(p.name for p in (site / "geo" / "static").iterdir()) == sorted(
        p.name for p in (REPO / "geo" / "static").iterdir() if p.is_file())
    assert len(listed.stdout.splitlines()) > 20
