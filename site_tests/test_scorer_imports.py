"""The scorer's import hygiene: every module imports on its own, and a page's start-up loads only what
the assessment page needs.

Why: the worker imports `scorer.browser` at start (and the build's memory snapshot holds what that
import and the first score loaded, sitebuild/make_startup.mjs), so every module it pulls in weighs on
every page's start-up. The office's operations are declared in its REGISTRY but imported on their
first call (`browser.deferred`). A cycle (an operation module importing `browser` while `browser`
imported it) made `import scorer.year_ops` fail unless `scorer.browser` came first.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scorer import browser

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(path.stem for path in (ROOT / "scorer").glob("*.py"))

# What only the office's pages use: the year-end evaluation (#15), the results application and
# rectification (#16), the collection of many files, the plan, the register, the workbooks.
OFFICE_MODULES = ("year_ops", "application", "application_export", "application_files", "application_ops",
                  "collect", "evaluation", "fingerprints", "office", "office_count", "office_detail",
                  "office_results", "office_xlsx", "planner", "rectification", "register_form", "report_xlsx",
                  "workspace", "yearfiles")
OFFICE_SCHEMAS = ("application", "feedback", "rectification", "rectification_report", "review", "sealed",
                  "supervision", "workspace")


def fresh(code: str, stdin: str = "") -> subprocess.CompletedProcess:
    """`code` in a new interpreter that imports this checkout's scorer (cwd first on sys.path)."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, input=stdin,
                          env={"PYTHONPATH": str(ROOT)}, timeout=60)


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_first_in_a_fresh_interpreter(module):
    # `scorer.__main__` runs the command line when imported: --help makes that a clean exit.
    result = fresh(f"import sys; sys.argv[1:] = ['--help']; import scorer.{module}")
    assert result.returncode == 0, f"import scorer.{module} on its own fails:\n{result.stderr[-3000:]}"


def test_the_list_of_office_modules_names_existing_modules():
    assert set(OFFICE_MODULES) <= set(MODULES)
    assert all((ROOT / "scorer" / "schemas" / f"{name}.schema.json").is_file() for name in OFFICE_SCHEMAS)


STARTUP = """
import json, sys
from scorer import browser, schema
assert json.loads(browser.version())["ok"]
for job in json.loads(sys.stdin.read()):
    for op in (browser.score, browser.check):
        assert json.loads(op(job["bundle"], job["assessment"]))["ok"], op
print(json.dumps({"modules": sorted(m for m in sys.modules if m.startswith("scorer.")),
                  "schemas": sorted(schema._cache)}))
"""


def test_the_assessment_pages_start_up_loads_none_of_the_offices_modules():
    """What the assessment page's scorer does (make_startup.mjs's WARM_UP without its explicit import of
    the office's operation modules: import, version, then score and check the build's own warm-up job,
    a real assessment on each current standard's published bundle) in a fresh CPython: no module or
    schema of the office's operations is loaded. The snapshot compiles those modules on purpose (see
    WARM_UP); their schemas it must still leave out (test below)."""
    from scorer import tree
    from sitebuild.startup import warm_up_job

    result = fresh(STARTUP, warm_up_job(tree.load(ROOT / "standards")).decode("utf-8"))
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = json.loads(result.stdout)
    assert "scorer.scoring" in loaded["modules"] and "assessment" in loaded["schemas"]  # it did score
    assert not {f"scorer.{m}" for m in OFFICE_MODULES} & set(loaded["modules"])
    assert not set(OFFICE_SCHEMAS) & set(loaded["schemas"])


def test_the_snapshot_compiles_the_office_modules_but_loads_none_of_their_schemas():
    """make_startup.mjs's WARM_UP with its office imports: the modules are there, the schemas are not."""
    from scorer import tree
    from sitebuild.startup import warm_up_job

    warm_up = (ROOT / "sitebuild" / "make_startup.mjs").read_text("utf-8")
    assert "import scorer.year_ops, scorer.application_ops\n" in warm_up
    script = STARTUP.replace("from scorer import browser, schema\n",
                             "from scorer import browser, schema\nimport scorer.year_ops, scorer.application_ops\n")
    result = fresh(script, warm_up_job(tree.load(ROOT / "standards")).decode("utf-8"))
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = json.loads(result.stdout)
    assert {"scorer.year_ops", "scorer.application_ops", "scorer.evaluation"} <= set(loaded["modules"])
    assert not set(OFFICE_SCHEMAS) & set(loaded["schemas"])


def test_a_deferred_operation_imports_its_module_on_first_call_and_answers_as_it():
    result = fresh("""
import json, sys
from scorer import browser
assert "scorer.year_ops" not in sys.modules
answer = browser.assessment_hash("[")
assert "scorer.year_ops" in sys.modules
from scorer import year_ops
print(json.dumps([answer, year_ops.assessment_hash("[")]))
""")
    assert result.returncode == 0, result.stderr[-3000:]
    deferred, direct = json.loads(result.stdout)
    assert deferred == direct and json.loads(deferred)["ok"] is False


@pytest.mark.parametrize("name", [name for name, op in browser.REGISTRY.items() if hasattr(op.function, "defined_in")])
def test_each_deferred_operation_names_a_function_of_its_module(name):
    """A misspelt or removed name fails here, not on a user's first call in the browser."""
    import importlib

    op = browser.REGISTRY[name]
    module = importlib.import_module(f"scorer.{op.function.defined_in}")
    assert op.target is getattr(module, name) and op.target.__module__ == module.__name__
    assert getattr(browser, name) is op.function and op.function.__name__ == name
