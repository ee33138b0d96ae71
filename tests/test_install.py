"""The wheel route: `python -m build` makes a wheel that works in a fresh venv, away from the tree.

The fresh venv gets cfdoctor from the wheel alone (`--no-deps --no-index`: nothing is fetched).
Its dependencies come from this test run's venv through a path file, which puts that
site-packages on sys.path without running its .pth files, so the editable cfdoctor there stays
invisible: every cfdoctor module the program imports is the wheel's. The program runs from a
directory outside the source tree, with HOME and XDG_CACHE_HOME of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIP = [sys.executable, "-m", "pip"]
ONE_SHOT = ["diagnose", "--no-ask", "--json", "--fact", "viewer.status=502"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("cfdoctor-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv holding the wheel's cfdoctor; returns its bin directory."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "deps-from-test-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [*PIP, "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=300,
    )
    return venv / "bin"


def run(bin_dir: Path, args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    home.mkdir(exist_ok=True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CFDOCTOR_", "XDG_"))}
    clean.update({"HOME": str(home), "LANG": "C.UTF-8", "NO_COLOR": "1", **env})
    clean.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(bin_dir / "cfdoctor"), *args],
        cwd=home,
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
        check=False,
    )


def test_the_wheel_carries_compiled_catalogs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("ja", "zh_Hans"):
        for domain in ("messages", "runbook"):
            assert f"cfdoctor/locales/{lang}/LC_MESSAGES/{domain}.mo" in names, sorted(names)[:20]
    assert "cfdoctor/knowledge/schema" in {n.rsplit("/", 1)[0] for n in names}


@pytest.mark.slow
def test_the_installed_program_runs_outside_the_tree(fresh: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(fresh / "python"), "-c", "import cfdoctor; print(cfdoctor.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in where and "site-packages" in where, where
    home = tmp_path / "home"
    result = run(fresh, ONE_SHOT, home)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["symptoms"][0]["id"] == "http-502"
    cached = list((home / ".cache" / "cfdoctor").glob("kb-*.pickle"))
    assert cached, "the knowledge cache goes to ~/.cache/cfdoctor"
    xdg = tmp_path / "xdg"
    assert run(fresh, ONE_SHOT, home, XDG_CACHE_HOME=str(xdg)).returncode == 0
    assert list((xdg / "cfdoctor").glob("kb-*.pickle")), "XDG_CACHE_HOME is honoured"


@pytest.mark.slow
def test_the_installed_program_speaks_japanese(fresh: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run(fresh, [*ONE_SHOT[:2], "--fact", "viewer.status=502", "--lang", "ja"], home)
    assert result.returncode == 0, result.stderr
    assert "診断" in result.stdout and "Diagnosis" not in result.stdout, result.stdout[:300]
    helped = run(fresh, ["diagnose", "--help", "--lang", "ja"], home)
    assert "オプション" in helped.stdout, helped.stdout[:400]


@pytest.mark.slow
def test_a_read_only_cache_directory_only_costs_speed(fresh: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    readonly = tmp_path / "ro-cache"
    readonly.mkdir()
    readonly.chmod(0o555)  # read-only for a user; root writes anyway, so also:
    blocked = tmp_path / "a-file"
    blocked.write_text("")  # a cache "directory" under a regular file: nothing can be written
    try:
        for cache in (readonly, blocked / "cache"):
            result = run(fresh, ONE_SHOT, home, XDG_CACHE_HOME=str(cache))
            assert result.returncode == 0, result.stderr
            assert result.stderr == "", result.stderr
    finally:
        readonly.chmod(0o755)
