"""Shared test configuration: hypothesis profiles and a guard against empty runs."""

import os

import pytest
from hypothesis import HealthCheck, settings

import autograd

# A fixed budget and no per-example deadline: the machines are shared and noisy,
# so a timing-based failure would be flakiness, not a bug. The default profile is
# derandomized: `make test` gives the same answer on every run and every machine
# (a fresh clone once failed where CI passed, on an example only it drew).
# `make fuzz` explores instead: random examples, many more of them, from a seed
# it prints so that a failure can be replayed (make fuzz SEED=...).
settings.register_profile(
    "default", max_examples=150, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz", max_examples=1500, deadline=None, derandomize=False, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_sessionfinish(session, exitstatus):
    # pytest exits 5 when it collects nothing; make that a plain failure (1)
    # with a message, so a broken test path can never look like a quiet pass.
    if exitstatus == 5:
        print("\nERROR: no tests were collected: check testpaths in pyproject.toml")
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def ops_registered_by_a_test_are_removed():
    """Every op a test adds with register_op is gone after it: other tests loop over OPS."""
    before = set(autograd.OPS)
    yield
    for name in set(autograd.OPS) - before:
        autograd.unregister_op(name)
    assert set(autograd.OPS) == before


def _load_execute():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "notebooks" / "execute.py"
    spec = importlib.util.spec_from_file_location("execute", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def run_notebook():
    """``run(path) -> (executed notebook, seconds)``, each notebook run once per session.

    The notebook tests and the page tests check the same run, instead of paying for two.
    """
    execute = _load_execute()
    runs = {}

    def run(path):
        if path not in runs:
            runs[path] = execute.execute(path)
        return runs[path]

    return run


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Playwright's sync API allows one at a time).

    Shared by the pages' and the decks' tests; skipped, saying what to install, without
    Playwright or Chromium.
    """
    from tests import browser as checker

    found = checker.chromium()
    if isinstance(found, str):
        pytest.skip(found)
    playwright, chromium = checker.launch(*found)
    yield chromium
    chromium.close()
    playwright.stop()
