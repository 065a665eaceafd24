"""The repository's top level is the agreed layout and nothing else."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {
    "manage.py",
    "config",
    "tenants",
    "billing",
    "core_app",
    "requirements.txt",
    "Procfile",
    "docker-compose.yml",
    "tests",
    "docs",
    "Makefile",
    "bench",
    "pyproject.toml",
    ".ci",
    ".python-version",
    "Dockerfile",
    "README.md",
    "requirements-dev.txt",
    "app.json",
    ".gitignore",
    ".dockerignore",
}


def test_top_level_holds_only_the_agreed_layout():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    top = {path.split("/", 1)[0] for path in tracked}
    assert top <= ALLOWED, sorted(top - ALLOWED)
    assert {"manage.py", "config", "tenants", "billing", "core_app", "tests", "docs"} <= top
