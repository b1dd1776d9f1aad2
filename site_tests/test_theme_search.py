"""sitebuild/theme_search.py patches Material's search exactly or fails the build: never a silent
half-patch when Material changes (the patched behaviour itself is tested in test_site_build.py and
test_browser_search.py)."""

from __future__ import annotations

import pytest
from sitebuild import theme_search
from sitebuild.errors import ThemeChanged


def worker(tmp_path, code: str):
    folder = tmp_path / "assets" / "javascripts" / "workers"
    folder.mkdir(parents=True)
    (folder / "search.0123abcd.min.js").write_text(code, "utf-8")
    return folder / "search.0123abcd.min.js"


def shipped_worker_code() -> str:
    return "a;" + ";".join(broken for _, broken, _ in theme_search.WORKER_PATCHES) + ";z"


def test_every_patch_is_applied_once_and_again_is_a_no_op(tmp_path):
    path = worker(tmp_path, shipped_worker_code())
    theme_search.fix_worker(tmp_path)
    patched = path.read_text("utf-8")
    assert patched == "a;" + ";".join(fixed for _, _, fixed in theme_search.WORKER_PATCHES) + ";z"
    theme_search.fix_worker(tmp_path)
    assert path.read_text("utf-8") == patched


@pytest.mark.parametrize("which", range(len(theme_search.WORKER_PATCHES)))
def test_changed_material_code_fails_the_build(tmp_path, which):
    what, broken, _ = theme_search.WORKER_PATCHES[which]
    worker(tmp_path, shipped_worker_code().replace(broken, broken.replace("(", "( ")))
    with pytest.raises(ThemeChanged, match="update sitebuild/theme_search.py"):
        theme_search.fix_worker(tmp_path)


def test_a_missing_or_second_bundle_fails_the_build(tmp_path):
    with pytest.raises(ThemeChanged, match="found 0"):
        theme_search.fix_bundle(tmp_path)


def test_a_parser_that_indexes_tables_otherwise_fails_the_build(monkeypatch):
    from material.plugins.search import plugin as search

    theme_search.install_table_parser()  # as the build does; idempotent
    assert search.Parser.gm_tables
    theme_search.install_table_parser()

    class Changed(search.Parser):  # as if Material's parser wrote cells its own way
        def handle_data(self, data):
            super().handle_data(data.replace("分值", "分 值"))

    monkeypatch.setattr(search, "Parser", Changed)
    with pytest.raises(ThemeChanged, match="a table is indexed as"):
        theme_search.install_table_parser()
