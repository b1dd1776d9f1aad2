"""The fast tier's selection rule (site_tests/tiers.py): no test that builds the site, drives a browser
or starts Node, nginx or Java is ever selected by `make test-fast`, and the tier's guard stops a launch
the rule could not see.

The samples below are looked up by name (`SAMPLES[name]`) so that the tests themselves do not name the
programs: the rule reads test code, and would rightly put a test that starts `node` in the slow tier.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from site_tests import gates, tiers

ROOT = Path(__file__).resolve().parent.parent


# --- samples the rule reads (never called) -------------------------------------------------------

def _starts_node_directly():
    subprocess.run(["node", "script.mjs"], check=True)


def _finds_java_on_the_path():
    import shutil

    return shutil.which("java")


def _builds_through_a_helper_module():
    return gates.build_site(Path("out"), "a sample")


def _imports_a_launcher_inside():
    from site_tests.test_bundle_nginx import _nginx

    return _nginx()


class _Runner:
    def __init__(self):
        self.process = subprocess.Popen(["chromium", "--headless"])


def _uses_a_launching_class():
    return _Runner()


def _in_a_lambda():
    return lambda: [sys.executable, "-m", "mkdocs", "build"]


def _engine_chosen_at_run_time(name):
    if name not in ("mkdocs", "properdocs"):  # the names the launch is made of, as a tuple constant
        raise ValueError(name)
    return [sys.executable, "-m", name, "build"]


def _ping():  # a cycle of calls: _ping -> _pong -> _ping, and _pong also builds
    return _pong()


def _pong():
    return _ping() or _builds_through_a_helper_module()


def _runs_python_only():
    return subprocess.run([sys.executable, "-m", "scorer", "validate"], capture_output=True)


def _reads_data_only():
    return gates.current_year(ROOT / "site") + len(tiers.PROGRAMS)


SAMPLES = {name: value for name, value in globals().items() if name.startswith("_") and callable(value)}


@pytest.mark.parametrize("name, program", [
    ("_starts_node_directly", "node"),
    ("_finds_java_on_the_path", "java"),
    ("_builds_through_a_helper_module", "mkdocs"),
    ("_imports_a_launcher_inside", "nginx"),
    ("_uses_a_launching_class", "chromium"),
    ("_in_a_lambda", "mkdocs"),
    ("_engine_chosen_at_run_time", "mkdocs"),
    ("_ping", "mkdocs"),
    ("_pong", "mkdocs"),
    ("_runs_python_only", None),
    ("_reads_data_only", None),
])
def test_the_rule_finds_what_code_starts(name, program):
    assert tiers.launches(SAMPLES[name]) == program


@pytest.mark.parametrize("args, program", [
    (["/usr/bin/node", "run.mjs"], "node"),
    ([sys.executable, "-m", "mkdocs", "build", "--strict"], "mkdocs"),
    (["/x/.cache/engines/properdocs-0/bin/python", "-m", "properdocs", "build"], "properdocs"),
    ("nginx -t -c x.conf", "nginx"),
    ([Path("/usr/bin/java"), "-jar", "vnu.jar"], "java"),
    (["/usr/bin/chromium", "--headless"], "chromium"),
    ([sys.executable, "-m", "scorer", "validate"], None),
    (["make", "-n", "test"], None),
    ([sys.executable, "-c", "print('node')"], None),
])
def test_the_guard_knows_which_launches_are_slow(args, program):
    assert tiers.launched(args) == program


@pytest.mark.parametrize("program", sorted(tiers.PROGRAMS))
def test_the_guard_refuses_each_slow_program_and_lets_python_run(program):
    before = subprocess.Popen.__init__
    with tiers.guarding(lambda: "test X"):
        with pytest.raises(tiers.SlowLaunch, match=f"test X started {program} "):
            subprocess.run([program, "--version"], capture_output=True)
        assert subprocess.run([sys.executable, "-c", "pass"]).returncode == 0
    assert subprocess.Popen.__init__ is before


# --- the rule over the real suite ----------------------------------------------------------------

DUMP = '''
import json, os

seen = {}

def _record(item, selected):
    slow = item.get_closest_marker("slow")
    seen[item.nodeid] = {"selected": selected, "slow": slow.kwargs["reason"] if slow else None,
                         "fixtures": sorted(getattr(item, "fixturenames", ())),
                         "markers": sorted({m.name for m in item.iter_markers()})}

def pytest_deselected(items):
    for item in items:
        _record(item, False)

def pytest_collection_finish(session):
    for item in session.items:
        _record(item, True)
    with open(os.environ["TIERS_DUMP"], "w", encoding="utf-8") as out:
        json.dump(seen, out)
'''

# What builds a site, serves one or starts a browser or Node, said independently of the rule.
LAUNCHING_FIXTURES = {"built_site", "years_site", "site_url", "years_url", "site_walk", "years_walk",
                      "playwright", "browser", "context", "page"}
# Modules whose every test starts Node or nginx without any of those fixtures.
LAUNCHING_MODULES = {"site_tests/test_pyodide_node.py", "site_tests/test_office_labels.py",
                     "site_tests/test_bundle_nginx.py"}


def _pytest(tmp_path, *args, **env):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]), **env))


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    """Every test of the suite as `pytest --fast --collect-only` sees it: selected or not, and why."""
    folder = tmp_path_factory.mktemp("tiers")
    (folder / "tiers_dump.py").write_text(DUMP, "utf-8")
    dump = folder / "dump.json"
    done = _pytest(folder, "-p", "tiers_dump", "--fast", "--collect-only", "-q", TIERS_DUMP=str(dump))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(dump.read_text("utf-8"))


def test_fast_selects_exactly_the_tests_without_a_slow_reason(suite):
    assert len(suite) > 500
    for nodeid, item in suite.items():
        assert item["selected"] == (item["slow"] is None), (nodeid, item["slow"])


def test_no_test_that_builds_or_launches_is_in_the_fast_tier(suite):
    for nodeid, item in suite.items():
        launching = LAUNCHING_FIXTURES & set(item["fixtures"])
        if launching or {"browser", "site"} & set(item["markers"]) or nodeid.split("::")[0] in LAUNCHING_MODULES:
            assert not item["selected"], (nodeid, launching, item["markers"])
            assert "slow" in item["markers"], nodeid


def test_unit_and_data_tests_are_in_the_fast_tier(suite):
    fast = {nodeid.split("::")[0] for nodeid, item in suite.items() if item["selected"]}
    for module in ("site_tests/test_textinput.py", "site_tests/test_scoring_properties.py",
                   "site_tests/test_scoring_cases_strict.py", "site_tests/test_tiers.py",
                   "site_tests/scoring_cases/caps-and-decimals.yaml"):
        assert module in fast, module
    assert sum(item["selected"] for item in suite.values()) > len(suite) / 2


def test_a_launch_the_rule_cannot_see_fails_the_fast_tier(tmp_path):
    """A program name made at run time slips past the rule; the guard fails that test, naming it."""
    (tmp_path / "test_sneaky.py").write_text(
        "import subprocess\n\n"
        "def test_sneaky():\n"
        "    subprocess.run(['-'.join(['no', 'de']).replace('-', ''), '--version'])\n", "utf-8")
    done = _pytest(tmp_path, "-p", "site_tests.conftest", "--fast", "-q", "--rootdir", str(tmp_path),
                   str(tmp_path / "test_sneaky.py"))
    assert done.returncode == 1, done.stdout[-3000:]
    assert "SlowLaunch" in done.stdout and "test_sneaky.py::test_sneaky started node" in done.stdout, done.stdout[-3000:]
