"""The shared input mechanism (`scorer.textinput`, `scorer.yamlsource`): decoding, bounds, JSON and
YAML errors in Chinese at the place the problem starts, and, as a property, that arbitrary bytes give
a result or a refusal with Chinese reasons and never anything else."""

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer import textinput, yamlsource
from scorer.errors import InvalidInput

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CJK = range(0x4E00, 0xA000)


def refusal(call):
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value.problems


def assert_chinese_refusal(problems, source):
    assert problems
    for p in problems:
        assert p.source == source and any(ord(c) in CJK for c in p.message), p


# ---------------------------------------------------------------- JSON

def test_duplicate_keys_are_named_with_line_and_column_at_every_depth():
    text = '{"a": 1,\n "items": {"X": [], "Y": {"k": 1, "k": 2}, "X": [1]},\n "a": 2}'
    problems = refusal(lambda: textinput.loads(text, "f.json"))
    found = sorted((p.line, p.column, p.message.split("（")[0]) for p in problems)
    assert found == [(2, 35, "重复的字段 'k'"), (2, 44, "重复的字段 'X'"), (3, 2, "重复的字段 'a'")]
    assert "第 2 行第 12 列已出现" in next(p.message for p in problems if "'X'" in p.message)


def test_same_key_in_different_objects_is_fine():
    assert textinput.loads('[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]', "f") == [{"a": 1}, {"a": 2}, {"b": {"a": 3}}]


def test_escaped_keys_that_decode_to_the_same_key_are_duplicates():
    problems = refusal(lambda: textinput.loads('{"a": 1, "\\u0061": 2}', "f"))
    assert problems[0].column == 10 and "'a'" in problems[0].message


@pytest.mark.parametrize("depth, refused", [(textinput.MAX_DEPTH, False), (textinput.MAX_DEPTH + 1, True), (100000, True)])
def test_depth_is_bounded_before_parsing(depth, refused):
    text = "[" * depth + "]" * depth
    started = time.monotonic()
    if refused:
        problems = refusal(lambda: textinput.loads(text, "f"))
        assert "嵌套过深" in problems[0].message and problems[0].column == textinput.MAX_DEPTH + 1
    else:
        textinput.loads(text, "f")
    assert time.monotonic() - started < 2


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"note": "[" * 5000 + "\\\"{" * 100})
    assert textinput.loads(text, "f")["note"].startswith("[[[")


@pytest.mark.parametrize("text, line, column, words", [
    ('{"a": 1,\n "b": }', 2, 7, "此处应为一个值"),
    ('{"a": 1 "b": 2}', 1, 9, "英文逗号"),
    ('{"a" 1}', 1, 6, "英文冒号"),
    ("{'a': 1}", 1, 2, "双引号"),
    ('{"a": "x\\q"}', 1, 9, "反斜杠转义"),
    ('{"a": 1} x', 1, 10, "多余的内容"),
    ('{"a": "unclosed}', 1, 7, "没有结束"),
])
def test_json_syntax_errors_in_chinese_with_the_position(text, line, column, words):
    problem = refusal(lambda: textinput.loads(text, "f.json"))[0]
    assert (problem.line, problem.column) == (line, column) and words in problem.message
    assert "Expecting" not in problem.message


def test_lone_surrogates_and_escaped_controls_are_named_by_path():
    problems = refusal(lambda: textinput.loads('{"o": {"name": "a\\ud800"}, "n": ["\\u0007"]}', "f"))
    assert sorted(p.path for p in problems) == [("n", 0), ("o", "name")]


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf[1]", "[1]".encode("utf-16"), b"\xff\xfe" + "[1]".encode("utf-16-le"),
                                  b"\xfe\xff" + "[1]".encode("utf-16-be"), b"[1]"])
def test_json_encodings_accepted(data):
    assert textinput.read_json(data, "f") == [1]


@pytest.mark.parametrize("data, words", [
    ('["中文"]'.encode("gb18030"), "无法识别文件的文字编码"),
    ("[1]".encode("utf-16-le"), "不带 BOM 的 UTF-16"),
    (b"PK\x03\x04rest", "Excel"),
    (b"%PDF-1.4", "PDF"),
    (b"\xef\xbb\xbf[\xff]", "不是有效的 UTF-8"),
])
def test_json_encodings_refused(data, words):
    assert words in refusal(lambda: textinput.read_json(data, "f"))[0].message


def test_csv_encodings_from_chinese_excel():
    rows = [["名称", "类别"], ["光明街道", "街道"]]
    for data in ("名称,类别\r\n光明街道,街道\r\n".encode("gbk"), "名称\t类别\r\n光明街道\t街道\r\n".encode("utf-16"),
                 "\ufeff名称,类别\n光明街道,街道\n".encode("utf-8")):
        assert textinput.csv_rows(textinput.decode(data, "f.csv", "csv"), "f.csv") == rows


def test_sizes_are_bounded_for_every_kind():
    for kind, limit in textinput.KINDS.items():
        assert "文件过大" in refusal(lambda: textinput.decode(b" " * (limit + 1), "f", kind))[0].message
        textinput.decode(b" " * limit, "f", kind)


# ---------------------------------------------------------------- YAML

LINES = [f"k{i}: v{i}" for i in range(40)]


def yaml_problem(lines):
    return refusal(lambda: yamlsource.loads("\n".join(lines), "s.yaml"))[0]


def test_yaml_unclosed_quote_is_reported_where_the_quote_opens_not_at_the_end():
    lines = list(LINES)
    lines[16] = 'k16: "never closed'
    problem = yaml_problem(lines)
    assert (problem.line, problem.column) == (17, 6) and "引号中的文本没有结束" in problem.message


def test_yaml_fullwidth_colon_is_reported_on_its_own_line_not_the_next():
    lines = list(LINES)
    lines[25] = "k25： v"
    problem = yaml_problem(lines)
    assert problem.line == 26 and "半角冒号" in problem.message


def test_yaml_parser_errors_use_the_problem_mark_not_the_enclosing_block():
    lines = ["root:"] + ["  " + line for line in LINES]
    lines[30] = "    nested: wrongly indented"
    problem = yaml_problem(lines)
    # the enclosing mapping starts on line 2; the problem is on line 31
    assert problem.line == 31 and "YAML 语法错误" in problem.message and "mapping" not in problem.message


@pytest.mark.parametrize("text, words", [
    ("x: &r [*r]\n", "锚点与别名"),
    ("a: &a [1, 2]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n", "锚点与别名"),
    ("a: \x07b\n", "控制字符 U+0007"),
    ("a:\n\tb: 1\n", "制表符"),
    ("x: " + "[" * 100 + "]" * 100, "嵌套过深"),
])
def test_yaml_hostile_constructs_are_refused_in_chinese(text, words):
    started = time.monotonic()
    problem = refusal(lambda: yamlsource.loads(text, "s.yaml"))[0]
    assert words in problem.message and problem.source == "s.yaml"
    assert time.monotonic() - started < 2


def test_yaml_alias_is_located_at_the_alias():
    problem = refusal(lambda: yamlsource.loads("a: 1\nb: &x [1]\nc: *x\n", "s.yaml"))[0]
    assert (problem.line, problem.column) == (3, 4)


# ---------------------------------------------------------------- properties

def _never_raises_but_refusal(call):
    try:
        call()
    except InvalidInput as exc:
        assert_chinese_refusal(exc.problems, "f")


@PROPERTY
@given(st.binary(max_size=600))
def test_arbitrary_bytes_give_a_result_or_a_chinese_refusal(data):
    _never_raises_but_refusal(lambda: textinput.read_json(data, "f"))
    _never_raises_but_refusal(lambda: textinput.csv_rows(textinput.decode(data, "f", "csv"), "f"))
    _never_raises_but_refusal(lambda: yamlsource.loads(textinput.decode(data, "f", "yaml"), "f"))


def text_of_all(value) -> str:
    """Every key and string of a JSON value, joined: what the refusal is about."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "".join(k + text_of_all(v) for k, v in value.items())
    if isinstance(value, list):
        return "".join(text_of_all(v) for v in value)
    return ""


JSON_ALPHABET = st.sampled_from(list('{}[]",:\\ 0123456789.-eEtrufalsn\n') + ["\\u", "\\ud800", "中", "\x07", '"a"'])


@PROPERTY
@given(st.lists(JSON_ALPHABET, max_size=120).map("".join))
def test_json_like_text_gives_a_result_or_a_chinese_refusal(text):
    _never_raises_but_refusal(lambda: textinput.loads(text, "f"))
    _never_raises_but_refusal(lambda: textinput.read_json(text.encode("utf-8", "surrogatepass"), "f"))


@PROPERTY
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
                    max_leaves=20))
def test_valid_json_round_trips_unless_it_holds_invalid_characters(value):
    text = json.dumps(value)
    try:
        assert textinput.loads(text, "f") == value
    except InvalidInput as exc:
        assert_chinese_refusal(exc.problems, "f")
        assert textinput._CONTROL.search(text_of_all(value)) or textinput._SURROGATE.search(text_of_all(value)), text


# ---------------------------------------------------------------- another standard's file

def test_another_standards_file_is_named_by_title_with_a_link_when_the_site_index_is_known():
    from scorer import assessment, tree

    year = tree.load("standards").year(2019)
    bundle = year.bundle("dept").to_json()
    value = assessment.empty(year.bundle("street").to_json(), "某街道")
    siblings = {"street": {"title": year.bundle("street").to_json()["standard"]["title"], "link": "assess/2019/street/"}}
    problem = refusal(lambda: assessment.check(value, bundle, "f", siblings))[0]
    assert f"《{siblings['street']['title']}》的自评文件" in problem.message and "'street'" not in problem.message
    assert problem.to_json()["link"] == "assess/2019/street/"
    # without the index (the CLI, Node): the id, and no link
    problem = refusal(lambda: assessment.check(value, bundle, "f"))[0]
    assert "'street'" in problem.message and "link" not in problem.to_json()
    # a hostile id is never looked up on a prototype: "__proto__" and "constructor" are plain unknown ids
    for other in ("__proto__", "constructor"):
        problem = refusal(lambda: assessment.check(dict(value, standard=other), bundle, "f", siblings))[0]
        assert f"'{other}'" in problem.message


def _running_depth(text: str) -> int:
    """The reference: the deepest running depth of brackets outside strings, by a plain loop."""
    depth = deepest = 0
    for match in textinput._TOKENS.finditer(text):
        if match.group(1):
            depth += 1
            deepest = max(deepest, depth)
        elif match.group(2):
            depth -= 1
    return deepest


@PROPERTY
@given(st.lists(st.sampled_from(['[', ']', '{', '}', '"', '\\', 'a', '[]', '{"a": [', ']}']), max_size=60).map("".join))
def test_the_fast_depth_check_refuses_exactly_what_the_running_depth_exceeds(text):
    """Including unbalanced text ('[' * n): the parser would recurse into every opener."""
    try:
        textinput.check_depth(text, "f", limit=3)
        refused = False
    except InvalidInput:
        refused = True
    assert refused == (_running_depth(text) > 3), text


def test_unclosed_openers_are_refused_before_the_parser_recurses_into_them():
    problems = refusal(lambda: textinput.loads("[" * 100000, "f"))
    assert "嵌套过深" in problems[0].message
