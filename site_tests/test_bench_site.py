"""bench/assess_page.py's `built_site` / `served_site`: the one way a bench gets the site it measures
(its `--site DIR`, or a fresh build into a temporary folder) and serves it on 127.0.0.1."""

from __future__ import annotations

import ast
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import assess_page  # noqa: E402


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as reply:
        return reply.read()


def test_a_given_site_is_served_as_it_is_and_the_server_stops_on_exit(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text("<p>给定站点</p>", "utf-8")
    monkeypatch.setattr(assess_page, "build_site", lambda out: pytest.fail("a given site is not rebuilt"))
    with assess_page.served_site(tmp_path) as (site, url):
        assert site == tmp_path
        assert _get(url).decode("utf-8") == "<p>给定站点</p>"
    with pytest.raises(urllib.error.URLError, match="refused"):
        _get(url)
    assert (tmp_path / "index.html").exists()  # a given site is never removed


def test_without_a_site_one_is_built_into_a_folder_removed_on_exit(monkeypatch):
    built = []

    def build(out: Path) -> None:
        out.mkdir()
        (out / "index.html").write_text("built", "utf-8")
        built.append(out)

    monkeypatch.setattr(assess_page, "build_site", build)
    with assess_page.served_site(None, assess_page.Gzipping) as (site, url):
        assert built == [site]
        assert _get(url) == b"built"
    assert not site.exists()


def test_a_failed_run_still_stops_the_server(tmp_path):
    (tmp_path / "index.html").write_text("x", "utf-8")
    with pytest.raises(RuntimeError), assess_page.served_site(tmp_path) as (_, url):
        raise RuntimeError("the run failed")
    with pytest.raises(urllib.error.URLError, match="refused"):
        _get(url)


def _calls(path: Path) -> set[str]:
    return {node.func.id for node in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}


@pytest.mark.parametrize("bench", sorted(p.name for p in BENCH.glob("*.py") if p.name != "assess_page.py"))
def test_no_bench_builds_or_serves_the_site_its_own_way(bench):
    assert not _calls(BENCH / bench) & {"build_site", "serve"}, "use assess_page.built_site / served_site"
