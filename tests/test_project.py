"""The project around the code: what pip and make do with it."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# pip runs these hooks of the build backend in a subprocess and prints every UserWarning they
# raise as a multi-line BuildBackendWarning; this script records them the same way.
HOOKS = """
import json, os, sys, warnings
from setuptools import build_meta
metadata, wheel = sys.argv[1:]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    build_meta.get_requires_for_build_editable()
    info = build_meta.prepare_metadata_for_build_editable(metadata)
    build_meta.build_editable(wheel, None, os.path.join(metadata, info))
print(json.dumps([f"{w.category.__name__}: {w.message}" for w in caught
                  if issubclass(w.category, UserWarning)]))
"""


def test_editable_install_raises_no_build_backend_warning(tmp_path):
    # setuptools warned "Editable installation ... Please be careful with folders in your
    # working directory": a flat layout without package-dir makes it use a meta path finder
    pytest.importorskip("setuptools.build_meta")
    project = tmp_path / "project"
    for name in ("autograd", "nn"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.cfg", "README.md"):
        shutil.copy(ROOT / name, project / name)
    metadata, out = tmp_path / "metadata", tmp_path / "wheel"
    metadata.mkdir()
    out.mkdir()
    result = subprocess.run([sys.executable, "-c", HOOKS, str(metadata), str(out)], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
    assert any(path.suffix == ".whl" for path in out.iterdir())


def test_make_test_runs_ruff_before_the_tests():
    # ruff was configured in pyproject.toml, but nothing ran it
    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    commands = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.splitlines()
    lint = next(i for i, line in enumerate(commands) if "-m ruff check ." in line)
    tests = next(i for i, line in enumerate(commands) if "-m pytest" in line)
    assert lint < tests


def test_readme_set_up_warns_that_autograd_and_nn_are_also_pypi_names():
    # pip install autograd into the same environment silently replaced this library
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    set_up = text[text.index("## Set-up"):text.index("\n## ", text.index("## Set-up") + 1)]
    for words in ("PyPI", "pip install autograd", "virtual environment", ".venv"):
        assert words in set_up


def test_drawing_tests_pin_meaning_not_fonts_or_colours():
    # they compared Graphviz's exact DOT text: a new font or colour broke a dozen of them
    restyled = subprocess.run(
        [sys.executable, "-c", "import tests.restyle, autograd; "
         "print(autograd.draw_graph(autograd.Value(1.0) * 2).source)"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "Courier" in restyled and "#d1d5db" in restyled  # the plugin does restyle
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.restyle",
         "tests/autograd/test_draw.py", "tests/nn/test_draw_model.py",
         "-k", "not every_random_graph_renders"],  # rendering 15 random graphs: slow, not looks
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_public_dunder_of_autograd_and_nn_has_a_docstring():
    # help(Value.__pow__), help(nn.MLP.__init__) said nothing; PyTorch's and Keras's do
    import inspect

    import autograd
    import nn

    undocumented = []
    for package in (autograd, nn):
        for name in package.__all__:
            cls = getattr(package, name)
            if not inspect.isclass(cls):
                continue
            for attribute, member in vars(cls).items():
                code = getattr(member, "__code__", None)
                written = code is not None and code.co_filename.endswith(".py")  # not generated
                if attribute.startswith("__") and attribute.endswith("__") and written:
                    if not (member.__doc__ or "").strip():
                        undocumented.append(f"{package.__name__}.{name}.{attribute}")
    assert undocumented == []
