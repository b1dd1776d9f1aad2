"""The scorer under Pyodide (the vendored runtime, in Node) answers exactly as CPython does.

The browser runs this same runtime and wheel; Node boots it without a browser in ~3 s, so every
scoring case and a few hundred generated assessments can be compared cheaply, whole result against
whole result. Both start-ups the site uses are covered: the plain one and the build's memory snapshot
with its precompiled stdlib (made by sitebuild.startup, as the site build does).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from scorer import assessment, browser, tree
from sitebuild import startup, vendor
from site_tests import scoring_cases
from site_tests.result_schemas import answer_problems

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "site_tests" / "node" / "run_scorer.mjs"
PYODIDE = vendor.pyodide_dir(ROOT)
GENERATED = 300
SEED = 20190630


def _require_runtime():
    """Missing Node or npm packages skip locally but fail in CI, where a skip would pass silently."""
    missing = [what for what, ok in (("node", shutil.which("node")), ("node_modules/pyodide (npm ci)", (PYODIDE / "pyodide.mjs").is_file())) if not ok]
    if not missing:
        return
    message = f"missing {', '.join(missing)}: run `make setup`"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class NodeScorer:
    """One Node process for many requests: booting Pyodide is the expensive part."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            ["node", str(RUNNER), str(PYODIDE), *map(str, args)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"Pyodide did not start in Node:\n{self.process.stderr.read()[-3000:]}")
        self.ready = json.loads(line)
        self.next_id = 0

    def many(self, requests: list[tuple[str, list[str]]]) -> list[dict]:
        """One reply per request, in order (written and read in turn, so no pipe ever fills up)."""
        first = self.next_id
        lines = []
        for op, args in requests:
            lines.append(json.dumps({"id": self.next_id, "op": op, "args": args}, ensure_ascii=False))
            self.next_id += 1
        replies = []
        for line in lines:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
            replies.append(json.loads(self.process.stdout.readline()))
        assert [r["id"] for r in replies] == list(range(first, self.next_id))
        return replies

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    _require_runtime()
    return vendor.build_wheel(ROOT, tmp_path_factory.mktemp("wheel"))


def startup_artifacts(wheel):
    """The build's own start-up artifacts (same inputs as the site's build, so usually from its cache)."""
    return startup.ensure(PYODIDE, wheel, vendor.xlsxwriter_wheel(ROOT), ROOT / ".cache" / "pyodide-startup",
                          startup.warm_up_job(tree.load(str(ROOT / "standards"))))


@pytest.fixture(scope="module", params=["stock", "snapshot"])
def engine(request, wheel):
    if request.param == "stock":
        scorer = NodeScorer(wheel)
    else:
        folder = startup_artifacts(wheel)
        scorer = NodeScorer(wheel, folder / "stdlib.zip", folder / "snapshot.bin.gz")
    yield scorer
    scorer.close()


def cpython(op, *args) -> dict:
    return json.loads(getattr(browser, op)(*args))


def test_boots_the_wheel_under_pyodide(engine):
    ready = engine.ready
    assert ready["version"]["platform"] == "emscripten"
    assert ready["version"]["scorer"] == cpython("version")["result"]["scorer"]
    assert ready["scorer_file"].startswith("/lib/python3") and "site-packages" in ready["scorer_file"]


def test_every_scoring_case_scores_as_in_cpython(engine):
    requests, expected = [], []
    for path in scoring_cases.files():
        suite = scoring_cases.load(path)
        bundle = scoring_cases.bundle_for(suite)
        bundle_json = json.dumps(bundle, ensure_ascii=False)
        for case in suite["cases"]:
            assessment_json = json.dumps(scoring_cases.to_assessment(case, bundle), ensure_ascii=False)
            requests.append(("score", [bundle_json, assessment_json]))
            expected.append(cpython("score", bundle_json, assessment_json))
    assert len(requests) > 10
    replies = engine.many(requests)
    for reply, want, (_, args) in zip(replies, expected, requests):
        assert reply["ok"], reply
        assert reply["result"]["ok"], reply["result"]
        assert reply["result"] == want, json.loads(args[1])["organization"]["name"]
        assert answer_problems("score", reply["result"]) == []


def _bundles() -> list[dict]:
    bundles = []
    for root in ("standards", "site_tests/fixtures/tree"):
        for year in tree.load(str(ROOT / root)).years.values():
            bundles += [year.bundle(sid).to_json() for sid in year.standards]
    return bundles


def _random_assessment(rng: random.Random, bundle: dict, n: int) -> dict:
    """Plausible answers, with every tenth one wrong in a way a user could get wrong."""
    year = bundle["year"]["year"]
    value = assessment.empty(bundle, organization=f"随机党组织{n}")
    ids = list(assessment.item_ids(bundle))
    for item in rng.sample(ids, k=rng.randint(0, min(len(ids), 15))):
        occurrences = []
        for _ in range(rng.randint(1, 3)):
            occurrence = {"date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
            if rng.random() < 0.7:
                occurrence["count"] = rng.choice([1, 1, 2, 3, 5, 10, 40])
            occurrences.append(occurrence)
        value["items"][item] = occurrences
    fault = n % 10 == 9 and rng.choice(["unknown", "date", "year", "count", "hash"])
    if fault == "unknown":
        value["items"]["NOPE-99z"] = [{"date": f"{year}-01-01"}]
    elif fault == "date":
        value["items"][ids[0]] = [{"date": f"{year}-13-01"}]
    elif fault == "year":
        value["year"] = year + 1
    elif fault == "count":
        value["items"][ids[0]] = [{"date": f"{year}-01-01", "count": 0}]
    elif fault == "hash":
        value["standard_hash"] = "sha256:" + "0" * 64
    return value


def test_generated_assessments_score_and_check_as_in_cpython(engine):
    rng = random.Random(SEED)
    bundles = [(b, json.dumps(b, ensure_ascii=False)) for b in _bundles()]
    requests = []
    for n in range(GENERATED):
        bundle, bundle_json = bundles[n % len(bundles)]
        text = json.dumps(_random_assessment(rng, bundle, n), ensure_ascii=False)
        requests.append(("check" if n % 7 == 3 else "score", [bundle_json, text]))
    replies = engine.many(requests)
    refused = 0
    for reply, (op, args) in zip(replies, requests):
        assert reply["ok"], reply
        assert reply["result"] == cpython(op, *args)
        assert answer_problems(op, reply["result"]) == []
        refused += not reply["result"]["ok"]
    assert 10 < refused < GENERATED / 4  # both paths exercised


def test_diff_and_bad_input_answer_as_in_cpython(engine):
    bundles = [json.dumps(b, ensure_ascii=False) for b in _bundles()]
    requests = [("diff", [bundles[0], bundles[1]]), ("diff", [bundles[0], bundles[0]]),
                ("score", [bundles[0], "{not json"]), ("score", ["[]", "{}"]), ("check", [bundles[0], "[]"])]
    for reply, (op, args) in zip(engine.many(requests), requests):
        assert reply["ok"] and reply["result"] == cpython(op, *args), (op, reply)
        assert answer_problems(op, reply["result"]) == []


def test_only_named_operations_are_callable(engine):
    reply = engine.many([("__import__", ["os"])])[0]
    assert reply == {"id": reply["id"], "ok": False, "error": {"code": "unknown_op", "message": "__import__"}}


@pytest.fixture(scope="module")
def startup_folder(wheel):
    return startup_artifacts(wheel)


def snapshot_script(script: str, folder, *args) -> dict:
    """Run site_tests/node/<script> on the runtime and the snapshot in `folder`; its last line, as JSON."""
    command = ["node", str(ROOT / "site_tests" / "node" / script), str(PYODIDE), str(folder / "stdlib.zip"),
               str(folder / "snapshot.bin.gz"), *map(str, args)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def rescue(folder, site, module) -> dict:
    """Import `module` in the snapshot-booted runtime, with the site's files behind a stand-in XHR."""
    return snapshot_script("rescue.mjs", folder, site, module)


def fake_site(tmp_path, folder, sha256=None):
    """The two files the rescue reads: the wheel manifest and the full stdlib it names."""
    site = tmp_path / "site"
    (site / "assets" / "pyodide" / "startup").mkdir(parents=True)
    (site / "assets" / "wheels").mkdir(parents=True)
    full = site / "assets" / "pyodide" / "startup" / "stdlib-full-test.zip"
    shutil.copyfile(folder / "stdlib-full.zip", full)
    entry = {"path": "../pyodide/startup/stdlib-full-test.zip", "sha256": sha256 or vendor.sha256_file(full)}
    (site / "assets" / "wheels" / "manifest.json").write_text(json.dumps({"startup": {"stdlib_full": entry}}), "utf-8")
    return site


def test_the_start_up_zip_is_a_trimmed_stdlib_and_the_rescue_supplies_the_rest(startup_folder, tmp_path):
    startup_zip = zipfile.ZipFile(startup_folder / "stdlib.zip").namelist()
    full_zip = zipfile.ZipFile(startup_folder / "stdlib-full.zip").namelist()
    assert set(startup_zip) < set(full_zip) and len(startup_zip) < len(full_zip) / 2
    assert "xmlrpc/client.pyc" not in startup_zip
    # the snapshot holds json imported; the office exports import csv after the start
    assert "json/decoder.pyc" not in startup_zip and "csv.pyc" in startup_zip

    answer = rescue(startup_folder, fake_site(tmp_path, startup_folder), "xmlrpc.client")
    assert answer["file"] == "/lib/python-stdlib-full.zip/xmlrpc/client.pyc"
    # xmlrpc.client's own imports (http, xml, gzip…) come the same way; submodules through their package
    assert answer["rescued"][0] == "xmlrpc" and "xmlrpc.client" not in answer["rescued"]
    assert answer["requests"] == ["assets/wheels/manifest.json", "assets/pyodide/startup/stdlib-full-test.zip"]


def test_a_rescue_that_cannot_get_a_matching_stdlib_fails_the_import_with_the_reason(startup_folder, tmp_path):
    answer = rescue(startup_folder, fake_site(tmp_path, startup_folder, sha256="0" * 64), "xmlrpc.client")
    assert "xmlrpc 不在启动包中" in answer["error"] and "与清单不符" in answer["error"]
    assert answer["rescued"] == []


def test_the_page_by_page_restore_leaves_the_memory_pyodide_s_own_restore_would(startup_folder):
    """The worker restores the snapshot writing only its non-zero pages (memory the tab never has to
    back); the wasm memory right after must be byte for byte what Pyodide's full copy leaves."""
    answer = snapshot_script("restore.mjs", startup_folder)
    assert answer["sparse"]["memory"] == answer["stock"]["memory"]
    assert answer["sparse"]["works"] == answer["stock"]["works"] == '{"ok": [1, 2]}'
    # leftovers under a page that is zero in the image are cleared; the rest are copied
    assert answer["madeUp"] == {"equal": True, "copied": 3, "cleared": 2}
