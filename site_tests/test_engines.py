"""Engine continuity (#17): the site is built by every engine of sitebuild/engine.py ENGINES (MkDocs
1.6 and ProperDocs 1.6.7) and the builds are the same site: the same files, pages, anchors, search
records, published data and Content-Security-Policy hashes. Only each page's generator <meta> may
differ, and what records a revision of the pages (the service worker's precache list, build.json).

Which engine builds the site is one line of requirements.txt (`-r engines/<name>.txt`); the other
one runs from a small environment the test makes under .cache/engines/ (sitebuild/engine.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitebuild import engine
from site_tests import gates

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = re.compile(r'\n?\s*<meta name="generator" content="[^"]*">')
ID = re.compile(r'\sid="([^"]+)"')
CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
SNAPSHOT = re.compile(r"^assets/pyodide/startup/snapshot-[0-9a-f]+\.bin$")
# Files that record a revision (hash) of every precached page: the pages differ in their generator
# <meta>, so these differ in those revisions and in the build version made from them.
REVISIONS = {"sw.js", "assets/build.json"}


# ------------------------------------------------------------------ fast: which engine, and its pins

def test_requirements_name_exactly_one_engine_and_it_is_known():
    assert engine.declared(ROOT) in engine.ENGINES
    for name in engine.ENGINES:
        assert any(pin.lower().startswith(f"{name}==") for pin in engine.pins(ROOT, name)), name


def test_switching_engines_is_one_line(tmp_path):
    text = (ROOT / "requirements.txt").read_text("utf-8")
    (tmp_path / "engines").mkdir()
    for name in engine.ENGINES:
        switched = engine.ENGINE_LINE.sub(f"-r engines/{name}.txt", text)
        assert len([a for a, b in zip(text.splitlines(), switched.splitlines()) if a != b]) <= 1
        (tmp_path / "requirements.txt").write_text(switched, "utf-8")
        assert engine.declared(tmp_path) == name


@pytest.mark.parametrize("lines", [[], ["-r engines/mkdocs.txt", "-r engines/properdocs.txt"], ["-r engines/nope.txt"]],
                         ids=["none", "two", "unknown"])
def test_no_engine_two_engines_or_an_unknown_one_is_a_clear_error(tmp_path, lines):
    (tmp_path / "requirements.txt").write_text("\n".join(["Jinja2==3.1.6", *lines]) + "\n", "utf-8")
    with pytest.raises(engine.BuildError, match="requirements.txt：须恰有一行"):
        engine.declared(tmp_path)


def test_the_makefile_builds_with_the_engine_requirements_txt_names():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "ENGINE := $(shell sed -n 's#^-r engines/\\([A-Za-z0-9_-]*\\)\\.txt.*#\\1#p' requirements.txt)" in makefile
    assert "$(PY) -m $(ENGINE) build --strict --quiet" in makefile
    assert "$(VENV)/bin/mkdocs" not in makefile


# ------------------------------------------------------------------ slow: the two builds compared

def files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def page(path: Path) -> str:
    return GENERATOR.sub("", path.read_text("utf-8"))


def precache(path: Path) -> list:
    text = path.read_text("utf-8")
    if path.name == "build.json":
        return sorted(k for k in json.loads(text) if k not in ("version", "bytes"))
    found = re.search(r"^const BUILD = (\{.*\});", text, re.MULTILINE)
    return [url for url, _ in json.loads(found.group(1))["precache"]]


def manifest(path: Path) -> dict:
    """The runtime manifest without the snapshot's own hash: a snapshot is keyed by its inputs (its
    file name), and one regenerated from the same inputs is not the same bytes."""
    value = json.loads(path.read_text("utf-8"))
    for key in ("sha256", "bytes", "integrity"):
        value.get("startup", {}).get("snapshot", {}).pop(key, None)
    return value


def differences(one: Path, other: Path) -> list[str]:
    """What differs between two built sites beyond what engines may differ in (see the docstring)."""
    a, b = files(one), files(other)
    found = [f"only in one build: {sorted(set(a) ^ set(b))}"] if set(a) != set(b) else []
    for rel in sorted(set(a) & set(b)):
        if rel.endswith(".html"):
            x, y = page(a[rel]), page(b[rel])
            if ID.findall(x) != ID.findall(y):
                found.append(f"{rel}: anchors differ")
            if CSP.findall(x) != CSP.findall(y):
                found.append(f"{rel}: Content-Security-Policy differs")
            if x != y:
                found.append(f"{rel}: differs beyond the generator <meta>")
        elif rel in REVISIONS:
            if precache(a[rel]) != precache(b[rel]):
                found.append(f"{rel}: the precache list differs")
        elif rel == "assets/wheels/manifest.json":
            if manifest(a[rel]) != manifest(b[rel]):
                found.append(f"{rel}: differs")
        elif SNAPSHOT.match(rel):
            continue  # same name, so same inputs: see manifest()
        elif a[rel].read_bytes() != b[rel].read_bytes():
            found.append(f"{rel}: differs")
    return found


def test_the_comparison_sees_a_difference_where_there_is_one(tmp_path):
    one, other = tmp_path / "a", tmp_path / "b"
    for site, generator, anchor in ((one, "mkdocs-1.6.1", "x"), (other, "mkdocs-ProperDocs 1.6.7", "x")):
        (site / "search").mkdir(parents=True)
        (site / "index.html").write_text(f'<head>\n  <meta name="generator" content="{generator}">\n</head>'
                                         f'<h2 id="{anchor}">T</h2>', "utf-8")
        (site / "search" / "search_index.json").write_text('{"docs": []}', "utf-8")
    assert differences(one, other) == []  # the generator alone is allowed to differ
    (other / "index.html").write_text((other / "index.html").read_text("utf-8").replace('id="x"', 'id="y"'), "utf-8")
    (other / "search" / "search_index.json").write_text('{"docs": [1]}', "utf-8")
    assert differences(one, other) == ["index.html: anchors differ", "index.html: differs beyond the generator <meta>",
                                       "search/search_index.json: differs"]


@pytest.mark.site
@pytest.mark.parametrize("other", [name for name in engine.ENGINES])
def test_every_engine_builds_the_same_site(built_site, tmp_path, other):
    declared = engine.declared(ROOT)
    site = built_site if other == declared else gates.build_site(tmp_path / other, f"the site with {other}", engine=other)
    assert differences(built_site, site) == []
    generators = {re.search(r'<meta name="generator" content="([^"]*)">', p.read_text("utf-8")).group(1)
                  for p in site.rglob("index.html")}
    assert len(generators) == 1 and next(iter(generators)).startswith(engine.ENGINES[other])  # built by `other`
    data = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    assert data["docs"], "no search records"
