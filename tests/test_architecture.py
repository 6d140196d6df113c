"""The layering of DESIGN.md is enforced by import-linter, not only written down."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is part of the test extra"
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    count = len(contracts["tool"]["importlinter"]["contracts"])
    assert f"Contracts: {count} kept, 0 broken." in result.stdout, result.stdout


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is part of the test extra"
    return found


def test_ruff_finds_nothing() -> None:
    result = subprocess.run(
        [_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean_on_the_typed_packages() -> None:
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of its code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_test_modules_share_helpers_only_through_tests_support() -> None:
    # A helper one test module imports from another drags in that module's tests and
    # fixtures; shared helpers live in tests/support/ (fixtures in conftest.py).
    crossing = {
        f"{path.name} → {module}"
        for path in sorted((ROOT / "tests").glob("*.py"))
        for module in _imported_modules(path)
        if module.startswith("tests.test_")
    }
    crossing |= {
        f"support/{path.name} → {module}"
        for path in sorted((ROOT / "tests" / "support").glob("*.py"))
        for module in _imported_modules(path)
        if module.startswith(("tests.test_", "tests.conftest"))
    }
    assert crossing == set()


# Still borrowing the sync rig (the real server as a process, counters that sync, the
# fault proxy) from tests/support/; nothing else may, and these nothing beyond it.
RIG_BORROWERS = {"bench/fault_run.py", "build_app/smoke.py", "build_app/smoke_update.py"}


def test_bench_docs_and_the_build_import_nothing_of_the_tests() -> None:
    # What they need is production code (counter_app.demo) or lives beside them.
    outside = [
        *sorted((ROOT / "bench").glob("*.py")),
        *sorted((ROOT / "docs").glob("*.py")),
        *sorted((ROOT / "build_app").glob("*.py")),
    ]
    assert outside, "the folders moved"
    reaching = {
        f"{path.relative_to(ROOT)} → {module}"
        for path in outside
        for module in _imported_modules(path)
        if (module == "tests" or module.startswith("tests."))
        and not (
            str(path.relative_to(ROOT)) in RIG_BORROWERS
            and module.startswith(
                (
                    "tests.support.counters",
                    "tests.support.fault_proxy",
                    "tests.support.server",
                    "tests.support.counter_store",
                )
            )
        )
    }
    assert reaching == set()
