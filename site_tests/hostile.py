"""The hostile input files (site_tests/fixtures/hostile/), one per failure mode, and what each must say.

Shared by the CLI/library tests (test_hostile_files.py) and the browser tests (test_browser_hostile.py)
so every file goes through every door with the same expectation. Files too big to commit are made here.
"""

import os
from pathlib import Path

from scorer import textinput

FOLDER = Path(__file__).parent / "fixtures" / "hostile"

# assessment file -> a fragment of the Chinese reason it must be refused with
ASSESSMENTS = {
    "nested-3000.json": "嵌套过深",
    "unclosed-openers.json": "嵌套过深",
    "duplicate-items-key.json": "重复的字段 'items'",
    "duplicate-item-id.json": "重复的字段 'POL-02a'",
    "lone-surrogate.json": "代理项",
    "nul-in-name.json": "NUL 字节",
    "bell-in-name.json": "控制字符 U+0007",
    "random-bytes.json": "二进制文件",
    "xlsx-renamed.json": "Excel 工作簿",
    "utf16-no-bom.json": "不带 BOM 的 UTF-16",
    "gb18030.json": "无法识别文件的文字编码",
    "syntax-error.json": "不是有效的 JSON",
    "nan.json": "NaN",
    "proto-keys.json": "未知的扣分项、奖励项或等级限制 '__proto__'",
}

# standards file (replacing 2019/dept.yaml) -> (fragment of the reason, line it must name or None)
STANDARDS = {
    "unclosed-quote-line-17.yaml": ("引号中的文本没有结束", 17),
    "fullwidth-colon-line-26.yaml": ("缺少半角冒号", 26),
    "utf16.yaml": ("UTF-16 编码", None),
    "gb18030.yaml": ("GB18030/GBK 编码", None),
    "xff-byte.yaml": ("无法识别文件的文字编码", 17),
    "nul-in-title.yaml": ("NUL 字节", 17),
    "bell-in-title.yaml": ("控制字符 U+0007", 17),
    "self-alias.yaml": ("不支持 YAML 锚点与别名", None),
    "billion-laughs.yaml": ("不支持 YAML 锚点与别名", None),
    "nested-flow.yaml": ("嵌套过深", None),
}


def assessment_path(name: str) -> Path:
    return FOLDER / name


def standards_path(name: str) -> Path:
    return FOLDER / "standards" / name


def oversized_json(folder) -> Path:
    """An assessment one byte over the bound (valid JSON otherwise): refused by size, unread."""
    path = Path(folder) / "oversized.json"
    filler = textinput.MAX_JSON_BYTES
    path.write_bytes(b'{"format": "' + b"x" * filler + b'"}')
    assert os.path.getsize(path) > textinput.MAX_JSON_BYTES
    return path


def huge_yaml(folder, megabytes: int = 50) -> Path:
    """A 50 MB standards file (one long text): `scorer validate` must refuse it before the build."""
    path = Path(folder) / "dept.yaml"
    with open(path, "wb") as handle:
        handle.write(b"title: ")
        block = b"x" * (1024 * 1024)
        for _ in range(megabytes):
            handle.write(block)
        handle.write(b"\n")
    return path
