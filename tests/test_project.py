"""The project around the code: what pip and make do with it."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import layering

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


def _copy_of_the_project(tmp_path):
    """The packages and the files pip builds them from, copied to ``tmp_path/project``."""
    project = tmp_path / "project"
    for name in ("autograd", "nn"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.cfg", "README.md"):
        shutil.copy(ROOT / name, project / name)
    return project


def test_editable_install_raises_no_build_backend_warning(tmp_path):
    # setuptools warned "Editable installation ... Please be careful with folders in your
    # working directory": a flat layout without package-dir makes it use a meta path finder
    pytest.importorskip("setuptools.build_meta")
    project = _copy_of_the_project(tmp_path)
    metadata, out = tmp_path / "metadata", tmp_path / "wheel"
    metadata.mkdir()
    out.mkdir()
    result = subprocess.run([sys.executable, "-c", HOOKS, str(metadata), str(out)], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
    assert any(path.suffix == ".whl" for path in out.iterdir())


WHEEL = """
import sys
from setuptools import build_meta
print(build_meta.build_wheel(sys.argv[1]))
"""


def test_the_wheel_holds_every_module_and_the_type_markers(tmp_path):
    # autograd/ became packages (core/, calculus/, static/, viz/): a wheel listing only the
    # top-level packages would install an engine without its core
    import zipfile

    pytest.importorskip("setuptools.build_meta")
    project = _copy_of_the_project(tmp_path)
    out = tmp_path / "wheel"
    result = subprocess.run([sys.executable, "-c", WHEEL, str(out)], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    wheel = out / result.stdout.strip().splitlines()[-1]
    packed = set(zipfile.ZipFile(wheel).namelist())
    on_disk = {path.relative_to(project).as_posix()
               for name in ("autograd", "nn") for path in (project / name).rglob("*")
               if path.suffix in (".py", ".typed", ".gz")}
    assert on_disk - packed == set()
    assert {"autograd/py.typed", "nn/py.typed", "autograd/core/value.py"} <= packed


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
         "tests/autograd/test_draw.py", "tests/autograd/test_draw_layout.py",
         "tests/autograd/test_draw_labels.py", "tests/autograd/test_draw_order.py",
         "tests/autograd/test_png.py", "tests/nn/test_draw_model.py",
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


# --- the layers of autograd (DESIGN.md), read from the imports with ast -------------------------

def test_every_import_follows_the_layers():
    # the core imported its tools (value.py -> trace.py, draw.py; backward.py -> anomaly.py),
    # each behind a lazy import inside a function: those count here as much as the others
    assert layering.against_layers(ROOT) == []


def test_no_module_imports_round_a_circle():
    # value -> backward -> anomaly -> value and three more circles were closed by lazy imports
    assert layering.circles(ROOT) == []


def test_no_module_imports_another_modules_private_names():
    # check.py imported functional's _Call, _like, _holds_value; nary.py value's _node and _ONE
    assert layering.private_names(ROOT) == []


def test_the_layering_checks_fail_on_planted_bad_imports(tmp_path):
    for name in layering.PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))

    def plant(path, line):
        file = tmp_path / path
        file.write_text(file.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")

    assert layering.against_layers(tmp_path) == layering.circles(tmp_path) == []
    plant("autograd/core/value.py", "def _draw(v):\n    from ..viz import drawing  # lazy\n"
                                    "    return drawing.draw_graph(v)")
    plant("autograd/calculus/check.py", "from ..static.tracing import read_arguments")
    plant("autograd/core/ops.py", "def _late():\n    from . import nary\n    return nary")
    plant("nn/losses.py", "from autograd.core.value import _binary")
    plant("autograd/calculus/register.py", "from ..core import ops as table\n_DIV = table._div")
    against = layering.against_layers(tmp_path)
    assert any("autograd.core.value:" in a and "(core -> viz)" in a for a in against)
    assert any("autograd.calculus.check:" in a and "(calculus -> static)" in a for a in against)
    assert any("nn.losses:" in a and "(nn -> core)" in a for a in against)
    assert any({"autograd.core.ops", "autograd.core.nary"} <= set(loop)
               for loop in layering.circles(tmp_path))
    private = layering.private_names(tmp_path)
    assert len(private) == 2
    assert any(p.startswith("nn.losses:") and "imports _binary from autograd.core.value" in p
               for p in private)
    assert any(p.startswith("autograd.calculus.register:") and "reads autograd.core.ops._div" in p
               for p in private)


def test_make_test_draws_the_same_examples_on_every_run():
    # outside CI the profile was random: a fresh clone's make test failed where CI passed
    code = "import tests.conftest; from hypothesis import settings; print(settings().derandomize)"
    env = {k: v for k, v in os.environ.items() if k not in ("HYPOTHESIS_PROFILE", "CI")}
    for extra in ({}, {"CI": "true"}):
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, **extra},
                                capture_output=True, text=True, check=True)
        assert result.stdout.strip() == "True"
    fuzz = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**env, "HYPOTHESIS_PROFILE": "fuzz"}, check=True)
    assert fuzz.stdout.strip() == "False"


def test_make_fuzz_prints_its_seed_and_replays_one_given():
    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    commands = subprocess.run(["make", "-n", "fuzz", "SEED=1234"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout
    assert "hypothesis seed" in commands and "make fuzz SEED=" in commands
    assert "HYPOTHESIS_PROFILE=fuzz" in commands and "--hypothesis-seed=" in commands


def test_readme_reading_order_lists_every_core_file_with_about_its_length():
    # the README's "How it works" is the reading order of the engine: it must stay true
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## How it works")
    section = text[start:text.index("\n## ", start + 1)]
    listed = {name: int(count) for name, count in
              re.findall(r"`core/(\w+)\.py` \((\d+) lines\)", section)}
    on_disk = {path.stem for path in (ROOT / "autograd/core").glob("*.py")} - {"__init__"}
    assert set(listed) == on_disk
    for name, count in listed.items():
        lines = len((ROOT / f"autograd/core/{name}.py").read_text(encoding="utf-8").splitlines())
        assert abs(lines - count) <= 0.15 * lines, f"core/{name}.py has {lines} lines, not {count}"
