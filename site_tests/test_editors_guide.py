"""The editors' guide must not drift from the tool: every error it explains is one the loader really
produces (checked against the bad fixtures' announced messages), and every command it shows exists."""

import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(__file__)
GUIDE = os.path.join(os.path.dirname(HERE), "docs", "editors.md")


def produced_messages():
    """Every message the loaders produce for the bad fixtures (one fixture per failure mode)."""
    from scorer import measures, standards, tree
    from scorer.errors import InvalidInput

    loaded = tree.load(os.path.join(HERE, "fixtures", "tree"))
    articles = {a.id: a.title for c, a in loaded.measures.articles()}
    subjects = {a.id for c, a in loaded.measures.articles() if c.number == 2}
    year = loaded.years[2019]

    def check_year(value, collector):
        standards.check_year(value, collector)
        if not collector.problems:
            standards.check_grades_reachable(value, {k: s.to_json() for k, s in year.standards.items()}, collector)

    checks = {
        "measures": lambda path: measures.load(path),
        "bad-standards": lambda path: _check(path, lambda v, c: standards.check_standard(v, c, articles, subjects, year.settings.to_json())),
        "bad-years": lambda path: _check(path, check_year),
    }
    messages = []
    for folder, check in checks.items():
        for path in glob.glob(os.path.join(HERE, "fixtures", folder, "bad-*.yaml" if folder == "measures" else "*.yaml")):
            try:
                check(path)
            except InvalidInput as exc:
                messages += [p.message for p in exc.problems]
    return messages


def _check(path, check):
    from scorer import yamlsource

    located = yamlsource.load(path)
    collector = located.collector()
    check(located.value, collector)
    collector.raise_if_any()


def test_every_explained_error_is_a_real_message():
    with open(GUIDE, encoding="utf-8") as handle:
        text = handle.read()
    rows = re.findall(r"^\| `([^`]+)`", text.split("## 四、错误信息的含义 {#errors}", 1)[1], flags=re.M)
    assert len(rows) >= 20
    known = produced_messages() + [
        "year 为 2020（应与目录名 2019 一致）",  # site_tests/test_loader_standards.py
        "id 为 'dept'（应与文件名 other 一致）",
        "与同目录的 dept.yaml 对应同一个标准",  # site_tests/test_loader_standards.py (yml-beside-yaml)
        "与 2019 年度相比有 N 处变化，但 changes 为空",  # test_years.py (N stands for the count)
    ]
    for row in rows:
        pieces = [p for p in re.split(r"…|\bN\b", row) if p.strip()]
        assert any(all(piece.strip(" '") in message for piece in pieces) for message in known), row


def test_every_command_in_the_guide_is_accepted():
    with open(GUIDE, encoding="utf-8") as handle:
        text = handle.read()
    commands = set(re.findall(r"python -m scorer ([a-z-]+)", text))
    assert commands == {"new-year", "validate", "diff"}
    for command in commands:
        done = subprocess.run([sys.executable, "-m", "scorer", command, "--help"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def test_the_guide_names_the_engine_that_builds_the_site_and_how_an_upgrade_is_checked():
    from sitebuild import engine

    with open(GUIDE, encoding="utf-8") as handle:
        text = handle.read()
    assert f"`-r engines/{engine.declared(os.path.dirname(HERE))}.txt`" in text
    assert all(f"`-r engines/{name}.txt`" in text for name in engine.ENGINES)
    assert "site_tests/test_engines.py" in text and "make test" in text
