"""A small validator for the subset of JSON Schema (2020-12) that our schemas use.

Why not the `jsonschema` package: the scorer must stay standard-library only so the same wheel runs
under Pyodide, and we need errors as paths we can map back to YAML line numbers. The schemas under
`scorer/schemas/` are real JSON Schema files: other systems can validate the published JSON with any
conforming validator and get the same verdicts for the keywords used here.

Supported keywords: type, enum, const, pattern, minLength, maxLength, minimum, maximum,
exclusiveMinimum, multipleOf, properties, required, additionalProperties, items, prefixItems, minItems,
maxItems, uniqueItems, anyOf, $ref (to "#/$defs/...", or to a sibling file "name.schema.json" with an
optional "#/$defs/..." after it, resolved as a relative URI against the file's $id), $defs,
description/title/$comment/examples (ignored). The result schemas need the last few: a record's
marked runs are [mark, text] pairs (prefixItems), a changed field's entries are runs or named lines
(anyOf), and an operation's result holds records whose schema is its own file ($ref to a sibling).
Numbers may be `decimal.Decimal` as well as int/float; booleans are never numbers.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from importlib import resources

SUPPORTED = {
    "type", "enum", "const", "pattern", "minLength", "maxLength", "minimum", "maximum",
    "exclusiveMinimum", "multipleOf", "properties", "required", "additionalProperties", "items",
    "minItems", "maxItems", "uniqueItems", "$ref", "$defs", "prefixItems", "anyOf", "$schema", "$id", "description",
    "title", "$comment", "examples", "default",
}

TYPE_NAMES = {
    "object": "映射（键: 值）",
    "array": "列表",
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔值（true/false）",
    "null": "空值",
}

_cache: dict[str, dict] = {}


def load_schema(name: str) -> dict:
    """The packaged schema `scorer/schemas/<name>.schema.json`, checked for unsupported keywords."""
    if name not in _cache:
        text = resources.files("scorer").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
        schema = json.loads(text)
        _check_supported(schema, name)
        _cache[name] = schema
    return _cache[name]


def _check_supported(node, name, where="#"):
    if isinstance(node, dict):
        unknown = set(node) - SUPPORTED
        if unknown and not where.endswith(("/properties", "/$defs")):
            raise ValueError(f"schema {name} uses unsupported keywords {sorted(unknown)} at {where}")
        for key, value in node.items():
            _check_supported(value, name, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_supported(value, name, f"{where}/{i}")


_EXACT_TYPES = {type(None): "null", bool: "boolean", int: "integer", float: "number", Decimal: "number", str: "string",
                list: "array", dict: "object"}


def type_of(value) -> str:
    # JSON values have exactly these types: one lookup instead of a chain of isinstance calls, which
    # under Pyodide was a fifth of the time of checking a file. Subclasses take the chain below.
    found = _EXACT_TYPES.get(type(value))
    if found is not None:
        return found
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, (float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _is_type(value, expected: str) -> bool:
    actual = type_of(value)
    if expected == "number":
        return actual in ("integer", "number")
    if expected == "integer" and actual == "number":
        return Decimal(str(value)) == Decimal(str(value)).to_integral_value()
    return actual == expected


def describe(value) -> str:
    """A short rendering of a value for messages."""
    if isinstance(value, str):
        return repr(value if len(value) <= 30 else value[:30] + "…")
    if isinstance(value, (dict, list)):
        return TYPE_NAMES[type_of(value)]
    return json.dumps(value, default=str, ensure_ascii=False)


def validate(value, schema: dict, add, path=(), root: dict | None = None) -> None:
    """Check `value` against `schema`, calling add(path, message) for each problem."""
    root = schema if root is None else root
    if "$ref" in schema:
        target, root = _resolve(schema["$ref"], root)
        validate(value, target, add, path, root)
        return
    if "anyOf" in schema:
        _check_any_of(value, schema["anyOf"], add, path, root)

    if "type" in schema:
        expected = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not (_is_type(value, expected[0]) or any(_is_type(value, t) for t in expected[1:])):
            names = "或".join(TYPE_NAMES[t] for t in expected)
            add(path, f"类型错误：{describe(value)} 不是{names}（应为{names}）")
            return

    if "const" in schema and value != schema["const"]:
        add(path, f"值 {describe(value)} 不正确（应为 {describe(schema['const'])}）")
    if "enum" in schema and value not in schema["enum"]:
        options = "、".join(describe(v) for v in schema["enum"])
        add(path, f"值 {describe(value)} 不在允许范围内（应为以下之一：{options}）")

    if isinstance(value, str):
        _check_string(value, schema, add, path)
    elif type_of(value) in ("integer", "number"):
        _check_number(value, schema, add, path)
    elif isinstance(value, list):
        _check_array(value, schema, add, path, root)
    elif isinstance(value, dict):
        _check_object(value, schema, add, path, root)


_SIBLING = re.compile(r"([a-z][a-z0-9-]*)\.schema\.json")


def _resolve(ref: str, root: dict) -> tuple:
    """(schema, its root) for a `$ref`: "#/$defs/x" in this file, or a sibling file with an optional
    "#/$defs/x" (the packaged schemas sit side by side, as they are published under data/schemas/)."""
    document, _, pointer = ref.partition("#")
    if document:
        match = _SIBLING.fullmatch(document)
        if not match:
            raise ValueError(f"unsupported $ref {ref}")
        root = load_schema(match.group(1))
    if not pointer:
        return root, root
    if not pointer.startswith("/$defs/"):
        raise ValueError(f"unsupported $ref {ref}")
    return root["$defs"][pointer[len("/$defs/"):]], root


def _check_any_of(value, options, add, path, root):
    """Valid when one option is; otherwise the problems of the option that came closest: one of the
    value's own type before any other, then the fewest problems."""
    best, best_rank = None, None
    for option in options:
        found = []
        validate(value, option, lambda p, m: found.append((tuple(p), m)), path, root)
        if not found:
            return
        rank = (any(p == tuple(path) and m.startswith("类型错误") for p, m in found), len(found))
        if best is None or rank < best_rank:
            best, best_rank = found, rank
    for where, message in best:
        add(where, message)


def _check_string(value, schema, add, path):
    if "minLength" in schema and len(value.strip()) < schema["minLength"]:
        add(path, "文本为空（应填写内容）" if schema["minLength"] == 1 else
            f"文本过短（至少 {schema['minLength']} 个字符）")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        add(path, f"文本过长（至多 {schema['maxLength']} 个字符）")
    if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
        hint = schema.get("description", f"匹配 {schema['pattern']}")
        add(path, f"格式不正确：{describe(value)}（应为{hint}）")


_compiled: dict[str, re.Pattern] = {}


def _pattern(source: str) -> re.Pattern:
    """A schema `pattern` compiled with its JSON Schema (ECMA-262) meaning, where `$` is the very end
    of the text. Python's `$` also matches before a final newline, so 'POL-01\\n' used to pass
    '^[A-Z]{3}-[0-9]{2,3}$' here while every other validator refuses it: each `$` outside a
    character class becomes `\\Z`. (The schemas use no `.`, `\\d`, `\\w` or flags, whose meanings
    differ too.)"""
    if source not in _compiled:
        out, in_class, i = [], False, 0
        while i < len(source):
            char = source[i]
            if char == "\\":
                out.append(source[i:i + 2])
                i += 2
                continue
            if char == "[" and not in_class:
                in_class = True
            elif char == "]" and in_class:
                in_class = False
            elif char == "$" and not in_class:
                char = "\\Z"
            out.append(char)
            i += 1
        _compiled[source] = re.compile("".join(out))
    return _compiled[source]


def _check_number(value, schema, add, path):
    number = Decimal(str(value))
    if "minimum" in schema and number < Decimal(str(schema["minimum"])):
        add(path, f"数值 {value} 过小（应不小于 {schema['minimum']}）")
    if "exclusiveMinimum" in schema and number <= Decimal(str(schema["exclusiveMinimum"])):
        add(path, f"数值 {value} 过小（应大于 {schema['exclusiveMinimum']}）")
    if "maximum" in schema and number > Decimal(str(schema["maximum"])):
        add(path, f"数值 {value} 过大（应不大于 {schema['maximum']}）")
    if "multipleOf" in schema and number % Decimal(str(schema["multipleOf"])) != 0:
        add(path, f"数值 {value} 精度不符（应为 {schema['multipleOf']} 的整数倍）")


def _check_array(value, schema, add, path, root):
    if "minItems" in schema and len(value) < schema["minItems"]:
        add(path, f"列表项数为 {len(value)}（至少应有 {schema['minItems']} 项）")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        add(path, f"列表项数为 {len(value)}（至多 {schema['maxItems']} 项）")
    if schema.get("uniqueItems"):
        seen = []
        for i, item in enumerate(value):
            if item in seen:
                add(path + (i,), f"重复的列表项 {describe(item)}（各项应互不相同）")
            seen.append(item)
    prefix = schema.get("prefixItems", [])
    for i, (item, item_schema) in enumerate(zip(value, prefix)):
        validate(item, item_schema, add, path + (i,), root)
    if "items" in schema:  # as in 2020-12: the entries after prefixItems
        for i, item in enumerate(value[len(prefix):], start=len(prefix)):
            validate(item, schema["items"], add, path + (i,), root)


def _check_object(value, schema, add, path, root):
    properties = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in value:
            add(path, f"缺少字段 '{key}'")
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            validate(item, properties[key], add, path + (key,), root)
        elif extra is False:
            allowed = ", ".join(properties) or "无"
            add(path + (key,), f"未知字段 '{key}'（允许的字段：{allowed}）")
        elif isinstance(extra, dict):
            validate(item, extra, add, path + (key,), root)


def best_effort(check, value, collector, *args) -> None:
    """Run invariant checks even when the shape is wrong, so an editor sees every problem in one run.

    The invariants assume the shape; where a shape problem (already reported) trips them up, the rest
    of that check is skipped rather than turned into a traceback.
    """
    before = len(collector.problems)
    try:
        check(value, collector, *args)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError, ArithmeticError):
        if not before:
            raise  # on a well-formed document this is a bug in the checks, not bad input
