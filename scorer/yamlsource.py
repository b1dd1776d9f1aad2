"""Read a YAML file into plain values plus a map from each path to its line and column.

CPython only (needs PyYAML): the browser gets normalized JSON instead. We compose the node tree
ourselves rather than use `yaml.safe_load` because safe_load silently keeps the last of duplicate
keys, turns `0.1` into a float and `2019-05-01` into a date, and forgets where anything was.
Here duplicates are problems, numbers with a point become `Decimal`, dates stay text, and every
problem can name `file:line:column`.
"""

from __future__ import annotations

from decimal import Decimal

from .errors import Collector, Problem

_BOOL = {"true": True, "false": False}


class Located:
    """Plain values of one YAML document and where each path starts."""

    def __init__(self, source: str, value, marks: dict):
        self.source = source
        self.value = value
        self.marks = marks  # path tuple -> (line, column), 1-based

    def locate(self, path):
        """The nearest recorded position for `path` (walking up to its parents)."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path)

    def collector(self) -> Collector:
        return Collector(self.source, self.locate)


def load(path, source: str | None = None) -> Located:
    """Parse one YAML file. Raises InvalidInput for syntax errors and duplicate keys."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return loads(text, source or str(path))


def loads(text: str, source: str) -> Located:
    import yaml  # CPython-side only; imported here so `scorer` itself stays importable in Pyodide

    # libyaml's composer when PyYAML has it (several times faster); the same nodes and marks either way.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"YAML 语法错误：{exc.problem or exc.context}"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise_problems([Problem(source, (), message, line, column)])
    marks: dict = {}
    collector = Collector(source, lambda p: marks.get(p))
    value = _convert(node, (), marks, collector) if node is not None else None
    collector.raise_if_any()
    return Located(source, value, marks)


def raise_problems(problems):
    from .errors import InvalidInput

    raise InvalidInput(problems)


def _mark(node):
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node, path, marks, collector):
    import yaml

    marks.setdefault(path, _mark(node))
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                marks[path + ("?",)] = _mark(key_node)
                collector.add(path + ("?",), "键必须是简单文本")
                continue
            key = key_node.value
            child = path + (key,)
            if key in result:
                first = marks[child][0]
                marks[child + ("duplicate",)] = _mark(key_node)
                collector.add(child + ("duplicate",), f"重复的字段 '{key}'（第 {first} 行已出现，每个字段只能出现一次）")
                continue
            marks[child] = _mark(key_node)
            result[key] = _convert(value_node, child, marks, collector)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), marks, collector) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node):
    tag, text = node.tag, node.value
    if node.style:  # quoted or block scalar: always text
        return text
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return _BOOL.get(text.lower(), text)
    if tag == "tag:yaml.org,2002:int":
        try:
            return int(text.replace("_", ""), 0) if text.lower().startswith(("0x", "0o")) else int(text.replace("_", ""))
        except ValueError:
            return text
    if tag == "tag:yaml.org,2002:float":
        try:
            return Decimal(text.replace("_", ""))
        except ArithmeticError:
            return text
    return text  # strings, and timestamps kept as written
