"""Read a YAML file into plain values plus a map from each path to its line and column.

CPython only (needs PyYAML): the browser gets normalized JSON instead. We compose the node tree
ourselves rather than use `yaml.safe_load` because safe_load silently keeps the last of duplicate
keys, turns `0.1` into a float and `2019-05-01` into a date, and forgets where anything was.
Here duplicates are problems, numbers with a point become `Decimal`, dates stay text, and every
problem can name `file:line:column`.
"""

from __future__ import annotations

from decimal import Decimal

from . import textinput
from .errors import Collector, Problem

_BOOL = {"true": True, "false": False}
_ALIAS = "不支持 YAML 别名"  # placeholder `_convert` records; `loads` replaces it with `_alias_problem`


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
    """Parse one YAML file. Raises InvalidInput for a file too large, not UTF-8, with control
    characters, syntax errors, duplicate keys, aliases or nesting deeper than MAX_DEPTH."""
    source = source or str(path)
    return loads(textinput.read_path(path, source, "yaml"), source)


def loads(text: str, source: str) -> Located:
    import yaml  # CPython-side only; imported here so `scorer` itself stays importable in Pyodide

    text = textinput.text_of(text, source, "yaml")  # size, lone surrogates, control characters (with line)
    # libyaml's composer when PyYAML has it (several times faster); the same nodes and marks either way.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        raise_problems([syntax_problem(exc, source)])
    except yaml.YAMLError as exc:  # a ReaderError: characters textinput lets through but YAML does not
        raise_problems([Problem(source, (), f"YAML 无法读取该文件：{exc}")])
    marks: dict = {}
    collector = Collector(source, lambda p: marks.get(p))
    value = _convert(node, (), marks, collector, set()) if node is not None else None
    if any(p.message == _ALIAS for p in collector.problems):  # one problem, placed at the first alias
        collector.problems = [_alias_problem(text, source, loader)] + [p for p in collector.problems if p.message != _ALIAS]
    collector.raise_if_any()
    return Located(source, value, marks)


# PyYAML's messages (context, then problem) in Chinese; anything else keeps the original after a Chinese lead.
_CONTEXTS = {
    "while scanning a quoted scalar": "引号中的文本没有结束（从此处开始的引号缺少配对的引号）",
    "while scanning a simple key": "这一行缺少半角冒号加空格（“键: 值”；全角冒号“：”不算）",
    "while scanning a block scalar": "多行文本（| 或 >）的写法有误",
    "while scanning an anchor": "锚点（&）的写法有误",
    "while scanning an alias": "别名（*）的写法有误",
    "while scanning a plain scalar": "文本的写法有误",
    "while scanning a directive": "指令（%）的写法有误",
    "while scanning a tag": "标签（!）的写法有误",
    "while increasing flow level": "嵌套过深",
}
_PROBLEMS = {
    "found unexpected end of stream": "文件在此之后就结束了",
    "could not find expected ':'": "找不到应有的半角冒号 ':'",
    "mapping values are not allowed": "此处不能出现“键: 值”（可能是缩进不对，或文本中的“: ”需要加引号）",
    "did not find expected key": "此处应为一个键（检查缩进是否与上一行对齐）",
    "did not find expected '-' indicator": "此处应为列表项“- ”（检查缩进）",
    "did not find expected node content": "此处缺少内容",
    "found character that cannot start any token": "此处的字符不能作为开头（缩进只能用空格，不能用制表符；@ 和 ` 开头的文本需加引号）",
    "found a tab character where an indentation space is expected": "缩进只能用空格，不能用制表符",
    "exceeded maximum nesting depth": "嵌套过深",
    "found unknown escape character": "双引号文本中有无效的反斜杠转义（反斜杠写作 \\\\，或改用单引号）",
    "expected a comment or a line break, but found": "多行文本标记（| 或 >）后面应直接换行",
    "found undefined alias": "使用了未定义的别名（*）",
}


def syntax_problem(exc, source: str) -> Problem:
    """One YAML syntax error, in Chinese, placed where the problem STARTS.

    A scanner error carries two marks: `context_mark`, where the token it was reading began (the
    opening quote, the line that lacks its colon), and `problem_mark`, where it gave up (often the end
    of the file or the next line). The start is what the editor must fix. A parser error's context is
    the enclosing block (possibly far above), so there the problem mark is the place.
    """
    import yaml

    scanning = isinstance(exc, yaml.scanner.ScannerError) and exc.context_mark is not None
    mark = exc.context_mark if scanning else (exc.problem_mark or exc.context_mark)
    problem = (exc.problem or "").strip()
    problem_zh = next((zh for en, zh in _PROBLEMS.items() if problem.startswith(en)), None)
    context_zh = _CONTEXTS.get((exc.context or "").strip()) if scanning else None
    parts = [p for p in (context_zh, problem_zh) if p]
    if not parts or problem_zh is None and not context_zh:
        parts.append(f"无法解析（{exc.context + '：' if exc.context else ''}{problem}）")
    elif problem_zh is None:
        parts.append(f"（{problem}）")
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return Problem(source, (), "YAML 语法错误：" + "；".join(parts), line, column)


def _alias_problem(text, source, loader) -> Problem:
    """Where the first alias (*name) is: the composer shares the anchored node, so only the tokens know."""
    import yaml

    message = ("不支持 YAML 锚点与别名（&名称 / *名称）：别名可以自我引用或层层展开成极大的数据。"
               "请把内容直接写出来。")
    try:
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, yaml.AliasToken):
                return Problem(source, (), message, token.start_mark.line + 1, token.start_mark.column + 1)
    except yaml.YAMLError:
        pass
    return Problem(source, (), message)


def raise_problems(problems):
    from .errors import InvalidInput

    raise InvalidInput(problems)


def _mark(node):
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node, path, marks, collector, seen):
    """Plain values of a node. `seen`: ids of the collections converted so far, so an alias (which the
    composer turns into the very same node) is refused rather than expanded: `x: &r [*r]` would
    recurse forever and a billion-laughs chain would build billions of values."""
    import yaml

    marks.setdefault(path, _mark(node))
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in seen:
            collector.add(path, _ALIAS)
            return None
        seen.add(id(node))
        if len(path) >= textinput.MAX_DEPTH:
            collector.add(path, f"嵌套过深（超过 {textinput.MAX_DEPTH} 层）")
            return None
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
            result[key] = _convert(value_node, child, marks, collector, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), marks, collector, seen) for i, item in enumerate(node.value)]
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
