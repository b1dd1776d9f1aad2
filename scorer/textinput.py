"""Every file a user or an editor hands the portal: bytes in, checked text (or JSON values) out.

One mechanism for the CLI, the assessment page's import and the office's drop, so a file is decoded,
bounded and refused in the same words wherever it arrives. The browser passes a file's bytes across
the worker boundary as base64 (`browser.read_files`) instead of decoding them in JavaScript.

Why deliberate decoding: Chinese Excel saves "CSV (逗号分隔)" as GB18030/GBK and "Unicode 文本" as
UTF-16 with tabs, and a browser's `file.text()` turns both into mojibake that fails later with a
misleading message. Why bounds before parsing: `json.loads` recurses once per nesting level, and a
6 KB file of 3000 nested arrays overflows the stack of Pyodide's WebAssembly build, which kills the
whole worker; a scan of the brackets costs one regular-expression pass and recurses not at all.

Everything here raises only `InvalidInput`, with Chinese reasons naming the file (and line:column).
"""

from __future__ import annotations

import codecs
import json
import re
from decimal import Decimal

from .errors import InvalidInput, Problem

# The codecs `decode` may need, imported with the scorer rather than on first use: the site's start-up
# zip holds only the stdlib modules a build saw imported (sitebuild/make_startup.mjs), and a lookup by
# name would fetch the whole stdlib the first time someone drops a GB18030 or UTF-16 file.
for _name in ("gb18030", "utf_16", "utf_16_le", "utf_16_be", "utf_8_sig"):
    codecs.lookup(_name)
del _name

MAX_JSON_BYTES = 5 * 1024 * 1024
"""An assessment file (gm-assessment/1). A full year with long notes is under 200 KB; 5 MB leaves room
for years of pasted notes while keeping a browser tab's memory and the office's batch bounded."""

MAX_CSV_BYTES = 2 * 1024 * 1024
"""An organization list, an inspected list or related review results: a district has some hundreds of
organizations, a few KB; 2 MB is tens of thousands of rows."""

MAX_YAML_BYTES = 1024 * 1024
"""One standards file (standards/**/*.yaml). Today's are about 22 KB; a 50 MB file would make the
site build take minutes and gigabytes before failing, so `scorer validate` refuses it first."""

MAX_DEPTH = 32
"""Nesting depth of JSON arrays and objects (and of YAML collections). An assessment nests 5 deep
(items → id → list → occurrence → field), a standard 7; deeper input is refused before parsing."""

MAX_REGISTER_BYTES = 20 * 1024 * 1024
"""A supervision register (gm-supervision/1): 1000 organizations x 20 records of ~300 bytes is 6 MB."""

MAX_WORKSPACE_BYTES = 64 * 1024 * 1024
"""The office's whole year (gm-workspace/1): 1000 self-assessments, 20000 supervision records and 1000
reviews are about 15 MB; 64 MB bounds a browser tab's memory while leaving room for long notes."""

KINDS = {"json": MAX_JSON_BYTES, "csv": MAX_CSV_BYTES, "yaml": MAX_YAML_BYTES,
         "register": MAX_REGISTER_BYTES, "workspace": MAX_WORKSPACE_BYTES}
# What a kind of file is called in a refusal: "json" is every JSON document a page or the CLI reads
# (self-assessments, reviews, feedback, rectification lists and reports), not only self-assessments.
KIND_NAMES = {"json": "JSON 文件", "csv": "CSV 文件", "yaml": "标准文件", "register": "监督记录文件",
              "workspace": "年度工作文件"}

# C0 controls but tab, line feed and carriage return; DEL; the two non-characters a BOM turns into.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_MAGIC = (
    (b"PK\x03\x04", "这是一个 ZIP 压缩包或 Excel 工作簿（.xlsx），不是文本文件。请使用"),
    (b"\xd0\xcf\x11\xe0", "这是一个旧版 Office 文件（.xls/.doc），不是文本文件。请使用"),
    (b"%PDF", "这是一个 PDF 文件，不是文本文件。请使用"),
)
_WANTED = {"json": "本系统导出的 .json 文件", "register": "本系统导出的 .json 监督记录文件",
           "workspace": "本系统导出的 .json 年度工作文件", "csv": "CSV 文件（另存为“CSV UTF-8（逗号分隔）”）",
           "yaml": "UTF-8 编码的 YAML 文件"}


def _fail(source, message, line=None, column=None, path=()):
    raise InvalidInput([Problem(source, tuple(path), message, line, column)])


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def decode(data: bytes, source: str, kind: str) -> str:
    """The text of a file's bytes, or InvalidInput saying why not.

    json: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM. csv: the same, plus GB18030 (which
    includes GBK). yaml: UTF-8 only; UTF-16 and GB18030 are named and the editor told to save as UTF-8.
    The size bound is checked first, before any decoding.
    """
    check_size(len(data), source, kind)
    for magic, reason in _MAGIC:
        if data.startswith(magic):
            _fail(source, f"{reason}{_WANTED[kind]}。")
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[3:], "utf-8", source, kind)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if kind == "yaml":
            _fail(source, "文件是 UTF-16 编码：标准文件只能是 UTF-8 编码。请在编辑器中“另存为”UTF-8 编码后重试。")
        text = _strict(data, "utf-16", source, kind)
    elif b"\x00" in data:  # never in UTF-8 or GB18030 text; every other byte of BOM-less UTF-16 text
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        _fail(source, f"有 NUL 字节（U+0000）：这可能是不带 BOM 的 UTF-16 文件或二进制文件。"
                      f"请使用{_WANTED[kind]}。", line)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _fallback(data, exc, source, kind)
    _controls(text, source)
    return text


def check_size(size: int, source: str, kind: str) -> None:
    """Refuse a file of `size` bytes over its kind's bound (the page sends only the size of such a file)."""
    if size > KINDS[kind]:
        _fail(source, f"文件过大（{_size(size)}，{KIND_NAMES[kind]}最大 {_size(KINDS[kind])}），未读取。")


FILES_SOURCE = "自评文件列表"


def read_files(kind: str, entries) -> list:
    """Files a page read, as the worker received them: [{name, base64}], or [{name, size}] for a file
    over its kind's bound (the page does not read it). Answers, in the same order, [{name, text}] or
    [{name, problems}]: one unreadable file never spoils the others. InvalidInput when `kind` or the
    list itself is not of its shape (a page's bug, not a user's file)."""
    import base64
    import binascii

    if kind not in ("json", "csv", "register", "workspace"):
        _fail(FILES_SOURCE, f"不支持的文件类型 {kind!r}（应为 json、csv、register 或 workspace）")
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("name"), str)
            and (isinstance(e.get("base64"), str) or isinstance(e.get("size"), int)) for e in entries):
        _fail(FILES_SOURCE, "应为 [{name, base64}] 数组")
    out = []
    for entry in entries:
        name = entry["name"]
        try:
            if not isinstance(entry.get("base64"), str):
                check_size(entry["size"], name, kind)
                _fail(name, "文件内容未传来，请重新选择文件。")
            try:
                data = base64.b64decode(entry["base64"], validate=True)
            except (binascii.Error, ValueError):
                raise InvalidInput([Problem(name, (), "文件内容传递出错（base64 无效），请重新选择文件。")]) from None
            out.append({"name": name, "text": decode(data, name, kind)})
        except InvalidInput as exc:
            out.append({"name": name, "problems": [p.to_json() for p in exc.problems]})
    return out


def _strict(data, encoding, source, kind):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        label = "UTF-8" if encoding == "utf-8" else "UTF-16"
        line = data[:exc.start].count(b"\n") + 1 if encoding == "utf-8" else None
        _fail(source, f"文件标明为 {label} 编码，但第 {exc.start + 1} 个字节起不是有效的 {label}（文件可能已损坏）。", line)


def _fallback(data, error, source, kind):
    """Not UTF-8: GB18030 for CSV; for the others, name what it looks like and what to do."""
    gb = None
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    if kind == "csv" and gb is not None:
        return gb
    line = data[:error.start].count(b"\n") + 1
    if gb is not None and kind == "yaml":
        _fail(source, "文件看起来是 GB18030/GBK 编码：标准文件只能是 UTF-8 编码。请在编辑器中“另存为”UTF-8 编码后重试。", line)
    accepted = "UTF-8、UTF-16 或 GB18030（GBK）" if kind == "csv" else "UTF-8 或带 BOM 的 UTF-16"
    _fail(source, f"无法识别文件的文字编码（第 {error.start + 1} 个字节起不是 {accepted} 文本）。"
                  f"这可能不是文本文件；请使用{_WANTED[kind]}。", line)


def _controls(text, source):
    found = _CONTROL.search(text)
    if found:
        line, column = _position(text, found.start())
        hint = "（文件可能不是文本、是不带 BOM 的 UTF-16，或已损坏）" if found.group() == "\x00" else "（文件可能不是文本或已损坏）"
        _fail(source, f"有不可见的控制字符 U+{ord(found.group()):04X}{hint}，请删除后重试。", line, column)


def _position(text: str, index: int) -> tuple:
    """1-based (line, column) of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def text_of(value, source: str, kind: str) -> str:
    """A text handed over already decoded (a browser draft, a test): bounded and checked like a file."""
    if not isinstance(value, str):
        _fail(source, f"应为文本（收到 {type(value).__name__}）")
    # A character is at most 4 bytes of UTF-8; measure the real size only when it might matter.
    if len(value) * 4 > KINDS[kind] and len(value.encode("utf-8", "surrogatepass")) > KINDS[kind]:
        _fail(source, f"文件过大（{KIND_NAMES[kind]}最大 {_size(KINDS[kind])}），未读取。")
    found = _SURROGATE.search(value)
    if found:
        line, column = _position(value, found.start())
        _fail(source, f"有无效的字符（孤立的 UTF-16 代理项 U+{ord(found.group()):04X}）。", line, column)
    _controls(value, source)
    return value


# ---------------------------------------------------------------- JSON

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|([\[{])|([\]}])', re.S)
_KEY_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]', re.S)


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)  # unrolled: one step per run of plain characters
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")


def check_depth(text: str, source: str, limit: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than `limit`, by scanning brackets outside strings (no recursion).

    Fast path, all in the regular-expression engine: drop the strings, keep the brackets, and peel the
    innermost pairs once per level; well-nested brackets vanish in as many passes as they are deep.
    Anything else (deeper than `limit`, or unbalanced, like 100000 unclosed '[', which the parser
    would still recurse into) is scanned token by token, which refuses it and says where.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _ in range(limit):
        brackets, peeled = _INNERMOST.subn("", brackets)
        if not brackets:
            return
        if not peeled:
            break
    _scan_depth(text, source, limit)


def _scan_depth(text: str, source: str, limit: int) -> None:
    """The running depth of every bracket outside strings; refused at the first one past `limit`."""
    depth = 0
    for match in _TOKENS.finditer(text):
        if match.group(1):
            depth += 1
            if depth > limit:
                line, column = _position(text, match.start())
                _fail(source, f"JSON 嵌套过深（此处已超过 {limit} 层），这不是本系统导出的文件。", line, column)
        elif match.group(2):
            depth -= 1


_JSON_MESSAGES = (
    ("Expecting value", "此处应为一个值（数字、文本、true/false/null、对象或数组），可能多了逗号或缺少内容"),
    ("Expecting property name enclosed in double quotes", "此处应为用英文双引号括起来的字段名（可能多了逗号）"),
    ("Expecting ':' delimiter", "字段名后应为英文冒号 ':'"),
    ("Expecting ',' delimiter", "此处应为英文逗号 ','（可能缺少逗号或括号）"),
    ("Unterminated string starting at", "文本没有结束（从此处开始的引号缺少配对的右引号）"),
    ("Invalid control character at", "文本中有未转义的控制字符（如换行），应写作转义形式（如 \\n）"),
    ("Invalid \\uXXXX escape", "无效的 \\u 转义（应为 \\u 加 4 位十六进制数）"),
    ("Invalid \\escape", "无效的反斜杠转义"),
    ("Extra data", "完整的 JSON 之后还有多余的内容"),
    ("Illegal trailing comma before end of object", "对象的最后一项后面不能有逗号"),
    ("Illegal trailing comma before end of array", "数组的最后一项后面不能有逗号"),
)


def json_message(msg: str) -> str:
    """`json.JSONDecodeError.msg` in Chinese (the original kept for anything not translated)."""
    for english, chinese in _JSON_MESSAGES:
        if msg.startswith(english):
            return chinese
    return f"JSON 语法错误（{msg}）"


class _Duplicate(Exception):
    pass


def _pairs(pairs):
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Duplicate
    return result


def _constant(name):
    raise ValueError(name)


def loads_checked(text: str):
    """A JSON text this scorer has read with `loads` and checked before (`stamps`) -> the same values
    (numbers with a point as Decimal). Only what the strict reader guards against that such a text
    cannot hold is skipped (depth scan, duplicate keys, character checks); a text that is not what it
    was said to be still fails, as ValueError or RecursionError, and the caller reads it in full."""
    return json.loads(text, parse_float=Decimal, parse_constant=_constant)


def loads(text: str, source: str, kind: str = "json"):
    """Strict JSON text -> values (numbers with a point as Decimal), or InvalidInput with every reason.

    Refused: nesting deeper than MAX_DEPTH (checked before parsing), syntax errors (in Chinese, with
    line:column), NaN/Infinity, duplicate keys (each named with its line:column), lone surrogates and
    control characters in any string (named by their JSON path).
    """
    text = text_of(text, source, kind)
    check_depth(text, source)
    try:
        value = json.loads(text, parse_float=Decimal, parse_constant=_constant, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        _fail(source, f"不是有效的 JSON：{json_message(exc.msg)}。", exc.lineno, exc.colno)
    except _Duplicate:
        raise InvalidInput(duplicate_keys(text, source)) from None
    except ValueError as exc:  # NaN/Infinity, or an integer longer than Python converts
        _fail(source, "不是有效的 JSON：含有无法处理的数值（NaN、Infinity 或超过 4300 位的整数）。")
    # Invalid characters in a string can only come from escapes (raw ones were refused above):
    # walk the values only when the text has an escape that can make one.
    if "\\u" in text or "\\b" in text or "\\f" in text:
        check_strings(value, source)
    return value


def duplicate_keys(text: str, source: str) -> list:
    """Every key that repeats within one object, at its line:column. `text` is valid JSON.

    Messages never repeat the problem's own line and column: the CLI prints them as file:line:column
    and the pages as 第 N 行第 M 列 before the message.

    `object_pairs_hook` sees the pairs but not where they were; this scan of the tokens does, and runs
    only when the hook found a duplicate, so a normal file pays nothing for it.
    """
    problems = []
    stack = []  # per open container: the dict of keys seen (objects) or None (arrays)
    previous = None
    for match in _KEY_TOKENS.finditer(text):
        token = match.group()
        if token in "{[":
            stack.append({} if token == "{" else None)
        elif token in "}]":
            stack.pop()
        elif token == ":" and stack and stack[-1] is not None and previous is not None:
            key = json.loads(previous.group())
            seen = stack[-1]
            line, column = _position(text, previous.start())
            if key in seen:
                first = seen[key]
                problems.append(Problem(source, (), f"重复的字段 {key!r}（第 {first[0]} 行第 {first[1]} 列已出现）。"
                                                    "同一对象中每个字段只能出现一次，否则前面的内容会被悄悄丢弃。", line, column))
            else:
                seen[key] = (line, column)
        previous = match if token.startswith('"') else None
    return problems


def _strings(value, path, source, problems):
    """Lone surrogates and control characters written as escapes (\\ud800, \\u0007) in keys or values."""
    if isinstance(value, str):
        bad = _SURROGATE.search(value) or _CONTROL.search(value)
        if bad:
            kind = "孤立的 UTF-16 代理项" if _SURROGATE.match(bad.group()) else "控制字符"
            problems.append(Problem(source, path, f"文本中有无效的字符（{kind} U+{ord(bad.group()):04X}），请删除后重试。"))
    elif isinstance(value, dict):
        for key, item in value.items():
            _strings(key, path + (key,), source, problems)
            _strings(item, path + (key,), source, problems)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _strings(item, path + (i,), source, problems)


def check_strings(value, source: str) -> None:
    """Refuse lone surrogates and control characters anywhere in parsed values (e.g. before an export:
    XlsxWriter cannot write a lone surrogate, and the page would show a traceback)."""
    problems = []
    _strings(value, (), source, problems)
    if problems:
        raise InvalidInput(problems)


def read_json(data: bytes, source: str, kind: str = "json"):
    """A JSON file's bytes -> values: `decode` then `loads`. kind: json, register or workspace (the bound)."""
    return loads(decode(data, source, kind), source, kind)


def read_path(path, source: str, kind: str) -> str:
    """A file on disk -> text, reading at most one byte past the bound (a 50 MB file is not read whole)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(KINDS[kind] + 1)
    except OSError as exc:
        _fail(source, f"无法读取文件：{exc.strerror or exc}")
    if len(data) > KINDS[kind]:
        _fail(source, f"文件过大（超过{KIND_NAMES[kind]}的上限 {_size(KINDS[kind])}），未读取。")
    return decode(data, source, kind)


# ---------------------------------------------------------------- CSV

def csv_rows(text: str, source: str) -> list:
    """Non-blank rows of CSV text, commas or (Excel's "Unicode 文本") tabs, a leading BOM dropped.

    The delimiter is the header line's: tabs when it has tabs and no commas. The one reading of a CSV
    for the organization list, the inspected list and the related review results.
    """
    import csv  # on first use, as before: the start-up snapshot stays as small as it was
    import io

    text = text_of(text, source, "csv").lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        return [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if any(c.strip() for c in r)]
    except csv.Error as exc:  # a cell longer than the csv module's field limit, a stray quote in strict mode
        _fail(source, f"CSV 文件无法读取（{exc}）：请检查引号是否配对、单元格是否过长。")
