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
    articles = {a.id: a.title for c, a in loaded.measures.articles()}
    subjects = {a.id for c, a in loaded.measures.articles() if c.number == 2}
    return articles, subjects


@pytest.fixture(scope="module")
def fixture_year():
    """The fixture tree's 2019: the year a bad standard is checked against, the standards a bad year is."""
    return tree.load(os.path.join(FIXTURES, "tree")).years[2019]


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
        assert standard.status == "sample", "the official tables are not public: values must say they are samples"
    assert loaded.years[2019].settings.values == "sample"


@pytest.mark.parametrize("path", BAD_STANDARDS, ids=[os.path.basename(p)[:-5] for p in BAD_STANDARDS])
def test_bad_standard_fails_where_announced(path, references, fixture_year):
    articles, subjects = references
    assert_announced(path, problems_of(
        path, lambda v, c: standards.check_standard(v, c, articles, subjects, fixture_year.settings.to_json())))


@pytest.mark.parametrize("path", BAD_YEARS, ids=[os.path.basename(p)[:-5] for p in BAD_YEARS])
def test_bad_year_fails_where_announced(path, fixture_year):
    def check(value, collector):
        standards.check_year(value, collector)
        if not collector.problems:
            standards.check_grades_reachable(value, {k: s.to_json() for k, s in fixture_year.standards.items()},
                                             collector)
    assert_announced(path, problems_of(path, check))


@pytest.mark.parametrize("path", BAD_STANDARDS + BAD_YEARS, ids=[os.path.basename(p)[:-5] for p in BAD_STANDARDS + BAD_YEARS])
def test_bad_file_fails_in_a_whole_tree_where_announced(path, tmp_path):
    """The same fixtures in place (2019/dept.yaml or 2019/year.yaml of the fixture tree), read by the
    loader `scorer validate` uses: the message names the real file and line."""
    root = tmp_path / "standards"
    shutil.copytree(os.path.join(FIXTURES, "tree"), root)
    target = root / "2019" / ("year.yaml" if path in BAD_YEARS else "dept.yaml")
    shutil.copy(path, target)
    with pytest.raises(InvalidInput) as caught:
        tree.load(str(root))
    line, column, message = expectation(path)
    rendered = [str(p) for p in caught.value.problems]
    assert any(r.startswith(f"{target}:{line}:{column}: ") and message in r for r in rendered), rendered


def test_enough_failure_modes_are_covered():
    assert len(BAD_STANDARDS) >= 24 and len(BAD_YEARS) >= 10


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


def test_yml_beside_yaml_is_refused_by_validate():
    """dept.yml beside dept.yaml (fixture bad-standards/yml-beside-yaml): both are the standard dept, and
    one silently won. `scorer validate` names the second file."""
    import subprocess
    import sys

    folder = os.path.join(FIXTURES, "bad-standards", "yml-beside-yaml")
    done = subprocess.run([sys.executable, "-m", "scorer", "validate", folder], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stdout
    second = os.path.normpath(os.path.join(folder, "2019", "dept.yml"))
    assert f"{second}:1:1: 与同目录的 dept.yaml 对应同一个标准" in done.stderr, done.stderr


@pytest.mark.parametrize("first,second", [("dept.yaml", "dept.yml"), ("year.yaml", "year.yml")])
def test_two_files_of_one_standard_or_year_are_refused(tmp_path, first, second):
    root = tmp_path / "standards"
    shutil.copytree(os.path.join(FIXTURES, "tree"), root)
    shutil.copy(root / "2019" / first, root / "2019" / second)
    with pytest.raises(InvalidInput) as caught:
        tree.load(str(root))
    what = "年度设置" if first == "year.yaml" else "标准"
    assert [str(p) for p in caught.value.problems] == [
        f"{root / '2019' / second}:1:1: 与同目录的 {first} 对应同一个{what}"
        "（.yaml 与 .yml 视为同一文件，只会用到其中一个：保留一个，删去或合并另一个）"]


def test_a_year_folder_name_is_matched_whole(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(os.path.join(FIXTURES, "tree"), root)
    (root / "2020\n").mkdir()
    with pytest.raises(InvalidInput, match="目录名应为四位年份"):
        tree.load(str(root))
