"""Every answer the scorer gives checked against the result schema its operation declares
(`scorer.browser.returns`), with the project's own validator and with `jsonschema` alike: the first
is what the scorer can use at run time, the second shows the schemas mean the same to any validator.

Shared by the CPython, Node/Pyodide and browser tests: wherever answers are collected, they go
through `answer_problems`.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from importlib import resources

from scorer import browser
from scorer.schema import load_schema, validate


@functools.lru_cache(maxsize=1)
def _registry():
    import jsonschema  # noqa: F401 - test-only dependency
    from referencing import Registry, Resource

    folder = resources.files("scorer").joinpath("schemas")
    resources_ = [(entry.name, Resource.from_contents(json.loads(entry.read_text("utf-8"))))
                  for entry in folder.iterdir() if entry.name.endswith(".schema.json")]
    return Registry().with_resources(resources_)


@functools.lru_cache(maxsize=None)
def _theirs(name: str):
    """jsonschema's validator of one schema, its sibling files resolvable (built once: it is slow to make)."""
    import jsonschema

    return jsonschema.Draft202012Validator(load_schema(name), registry=_registry())


def schema_problems(name: str, value) -> list:
    """(path, message) for each way `value` misses scorer/schemas/<name>; both validators must agree."""
    ours = []
    validate(value, load_schema(name), lambda path, message: ours.append((tuple(path), message)))
    plain = json.loads(json.dumps(value, default=lambda d: float(d) if isinstance(d, Decimal) else str(d)))
    theirs = [tuple(e.absolute_path) for e in _theirs(name).iter_errors(plain)]
    assert bool(ours) == bool(theirs), f"the validators disagree on {name}: ours {ours[:3]}, jsonschema {theirs[:3]}"
    return ours


def answer_problems(operation: str, answer) -> list:
    """An operation's answer (envelope dict or JSON text) against its declared result schema; [] for an
    answer with problems (`ok` false) or an operation that declares none."""
    if isinstance(answer, str):
        answer = json.loads(answer)
    declared = browser.REGISTRY[operation].result_schema
    if not answer.get("ok") or "result" not in answer or declared is None:
        return []
    return schema_problems(declared[: -len(".schema.json")], answer["result"])
