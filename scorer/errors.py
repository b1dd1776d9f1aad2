"""Problems found in input, collected rather than raised one at a time.

Editors fix a YAML file faster when they see every problem at once, and a browser user whose import
is refused needs all the reasons, so checks append `Problem`s and callers decide when to stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Path = tuple  # a path into the document: keys and list indices, e.g. ("chapters", 2, "title")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one input file."""

    source: str  # file name as the user knows it, e.g. "standards/measures.yaml"
    path: Path
    message: str
    line: int | None = None  # 1-based; None where the input has no lines (JSON from a browser)
    column: int | None = None
    link: str | None = None  # a page of this site (relative to its root) where the user can act on it

    def __str__(self) -> str:
        if self.line is not None:
            column = f":{self.column}" if self.column is not None else ""
            return f"{self.source}:{self.line}{column}: {self.message}"
        where = pointer(self.path)
        return f"{self.source}: {where}: {self.message}" if where else f"{self.source}: {self.message}"

    def to_json(self) -> dict:
        out = {
            "source": self.source,
            "path": pointer(self.path),
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }
        if self.link:
            out["link"] = self.link
        return out


def pointer(path: Path) -> str:
    """JSON Pointer (RFC 6901) for a path, the form other tools understand."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


class InvalidInput(Exception):
    """Raised with every problem found, so the caller can list them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Collector:
    """Accumulates problems for one source; `locate` maps a path to a (line, column)."""

    source: str
    locate: object = None  # callable(path) -> (line, column) | None
    problems: list = field(default_factory=list)

    def add(self, path: Path, message: str, link: str | None = None) -> None:
        line = column = None
        if self.locate is not None:
            found = self.locate(tuple(path))
            if found:
                line, column = found
        self.problems.append(Problem(self.source, tuple(path), message, line, column, link))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(self.problems)
