"""A yes/no check of a value against one of our schemas, compiled once into nested closures.

Why: `schema.validate` walks the schema for every value and collects Chinese messages, which is what a
refused file needs, but an office workspace holds some 12 000 documents (self-assessments, supervision
records, reviews) that are nearly always valid, and walking the schema for each took seconds. The
compiled predicate answers the same question in a fraction of the time; only when it says no does the
caller run `validate` for the reasons (`check`). Same keywords and meanings as `schema.validate`
(the property test site_tests/test_schemafast.py holds the two to the same verdicts).
"""

from __future__ import annotations

from decimal import Decimal

from .schema import _is_type, _pattern, type_of

_compiled: dict = {}


def conforms(schema: dict, root: dict | None = None):
    """The predicate value -> bool of `schema` (whose `$ref`s resolve in `root`, default itself)."""
    root = schema if root is None else root
    key = (id(schema), id(root))  # the entry keeps both alive, so their ids are never reused
    if key not in _compiled:
        holder = []
        _compiled[key] = (schema, root, lambda value: holder[0](value))  # $ref recursion resolves lazily
        holder.append(_compile(schema, root))
        _compiled[key] = (schema, root, holder[0])
    return _compiled[key][2]


_TYPES = {"string": str, "integer": int, "number": (int, float, Decimal), "object": dict, "array": list,
          "null": type(None), "boolean": bool}
_KINDS = {str: "string", int: "integer", float: "number", Decimal: "number", list: "array", dict: "object"}


def _compile(schema, root):
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref}")
        target, resolved = root["$defs"][ref[len("#/$defs/"):]], []

        def follow(value):
            if not resolved:
                resolved.append(conforms(target, root))
            return resolved[0](value)
        return follow
    checks = []
    if "type" in schema:
        expected = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        exact = set()
        for name in expected:
            kinds = _TYPES[name]
            exact.update(kinds if isinstance(kinds, tuple) else (kinds,))
        # An exact JSON type is answered by one set lookup (type(True) is bool, never int); anything
        # else (an integral Decimal for "integer", subclasses) by the validator's own `_is_type`.
        checks.append(lambda v: type(v) in exact or any(_is_type(v, t) for t in expected))
    if "const" in schema:
        const = schema["const"]
        checks.append(lambda v: not (v != const))
    if "enum" in schema:
        options = schema["enum"]
        checks.append(lambda v: v in options)
    by_kind = {"string": _strings(schema), "integer": _numbers(schema), "number": _numbers(schema),
               "array": _arrays(schema, root), "object": _objects(schema, root)}

    def check(value):
        for c in checks:
            if not c(value):
                return False
        kind = _KINDS.get(type(value)) or type_of(value)
        rule = by_kind.get(kind)
        return rule is None or rule(value)
    return check


def _strings(schema):
    low, high = schema.get("minLength"), schema.get("maxLength")
    pattern = _pattern(schema["pattern"]) if "pattern" in schema else None

    def check(value):
        return ((low is None or len(value.strip()) >= low) and (high is None or len(value) <= high)
                and (pattern is None or pattern.search(value) is not None))
    return check


def _numbers(schema):
    bounds = [(k, Decimal(str(schema[k]))) for k in ("minimum", "exclusiveMinimum", "maximum", "multipleOf") if k in schema]
    if not bounds:
        return lambda value: True

    def check(value):
        number = Decimal(str(value))
        for k, bound in bounds:
            if ((k == "minimum" and number < bound) or (k == "exclusiveMinimum" and number <= bound)
                    or (k == "maximum" and number > bound) or (k == "multipleOf" and number % bound != 0)):
                return False
        return True
    return check


def _arrays(schema, root):
    low, high, unique = schema.get("minItems"), schema.get("maxItems"), schema.get("uniqueItems")
    items = conforms(schema["items"], root) if "items" in schema else None

    def check(value):
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            return False
        if unique:
            seen = []
            for item in value:
                if item in seen:
                    return False
                seen.append(item)
        return items is None or all(items(item) for item in value)
    return check


def _objects(schema, root):
    required = schema.get("required", [])
    properties = {k: conforms(v, root) for k, v in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    extra_check = conforms(extra, root) if isinstance(extra, dict) else None

    def check(value):
        for key in required:
            if key not in value:
                return False
        for key, item in value.items():
            rule = properties.get(key)
            if rule is not None:
                if not rule(item):
                    return False
            elif extra is False:
                return False
            elif extra_check is not None and not extra_check(item):
                return False
        return True
    return check


def check(value, schema: dict, add, path=(), root: dict | None = None) -> None:
    """`schema.validate`, answered by the compiled predicate first: the messages only when needed."""
    from .schema import validate

    if not conforms(schema, root)(value):
        validate(value, schema, add, path, root)
