"""The strict loader on years and standards: the shipped tree is valid; each bad fixture (one per
failure mode) fails with the exact `file:line:col: message` its first line announces; the whole tree
is checked at once and every problem is listed."""

import glob
import os
import shutil

import pytest

from scorer import standards, tree, yamlsource
from scorer.errors import InvalidInput

HERE = os.path.dirname(__file__)
FIXTURES = os.path.join(HERE, "fixtures")
BAD_STANDARDS = sorted(glob.glob(os.path.join(FIXTURES, "bad-standards", "*.yaml")))
BAD_YEARS = sorted(glob.glob(os.path.join(FIXTURES, "bad-years", "*.yaml")))


def expectation(path):
    with open(path, encoding="utf-8") as handle:
        first = handle.readline()
    where, message = first[len("# expect: "):].strip().split(": ", 1)
    line, column = map(int, where.split(":"))
    return line, column, message


@pytest.fixture(scope="module")
def references():
    loaded = tree.load(os.path.join(FIXTURES, "tree"))
    articles = {a["id"]: a["title"] for c in loaded.measures["chapters"] for a in c["articles"]}
    subjects = {a["id"] for c in loaded.measures["chapters"] if c["number"] == 2 for a in c["articles"]}
    return articles, subjects


def problems_of(path, check):
    try:
        located = yamlsource.load(path, "x.yaml")
    except InvalidInput as exc:
        return exc.problems
    collector = located.collector()
    check(located.value, collector)
    return collector.problems


def assert_announced(path, problems):
    line, column, message = expectation(path)
    rendered = [str(p) for p in problems]
    assert any(r.startswith(f"x.yaml:{line}:{column}: ") and message in r for r in rendered), rendered


def test_shipped_standards_are_valid():
    loaded = tree.load("standards")
    assert loaded.current.year == 2019
    assert set(loaded.years[2019].standards) == {"dept", "street", "stationed"}
    for standard in loaded.years[2019].standards.values():
        assert standard["status"] == "sample", "the official tables are not public: values must say they are samples"
    assert loaded.years[2019].settings["values"] == "sample"


@pytest.mark.parametrize("path", BAD_STANDARDS, ids=[os.path.basename(p)[:-5] for p in BAD_STANDARDS])
def test_bad_standard_fails_where_announced(path, references):
    articles, subjects = references
    assert_announced(path, problems_of(path, lambda v, c: standards.check_standard(v, c, articles, subjects)))


@pytest.mark.parametrize("path", BAD_YEARS, ids=[os.path.basename(p)[:-5] for p in BAD_YEARS])
def test_bad_year_fails_where_announced(path):
    assert_announced(path, problems_of(path, standards.check_year))


def test_enough_failure_modes_are_covered():
    assert len(BAD_STANDARDS) >= 15 and len(BAD_YEARS) >= 8


def test_tree_lists_every_problem_in_every_file(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(os.path.join(FIXTURES, "tree"), root, symlinks=False)
    shutil.copy(os.path.join(FIXTURES, "bad-years", "band-overlap.yaml"), root / "2019" / "year.yaml")
    shutil.copy(os.path.join(FIXTURES, "bad-standards", "unknown-basis.yaml"), root / "2019" / "dept.yaml")
    (root / "2019" / "street.yaml").write_text("id: [\n", encoding="utf-8")
    (root / "draft").mkdir()
    with pytest.raises(InvalidInput) as caught:
        tree.load(str(root))
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "2019/year.yaml:17:5: 等级下限" in text
    assert "2019/dept.yaml:20:17: 依据 'article-99'" in text
    assert "2019/street.yaml:2:1: YAML 语法错误" in text
    assert "draft: 目录名应为四位年份" in text


def test_year_must_match_its_folder(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(os.path.join(FIXTURES, "tree"), root)
    year_file = root / "2019" / "year.yaml"
    year_file.write_text(year_file.read_text(encoding="utf-8").replace("year: 2019", "year: 2020"), encoding="utf-8")
    with pytest.raises(InvalidInput, match="year 为 2020（应与目录名 2019 一致）"):
        tree.load(str(root))


def test_standard_id_must_match_its_file_name(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(os.path.join(FIXTURES, "tree"), root)
    (root / "2019" / "dept.yaml").rename(root / "2019" / "other.yaml")
    with pytest.raises(InvalidInput, match="id 为 'dept'（应与文件名 other 一致）"):
        tree.load(str(root))
