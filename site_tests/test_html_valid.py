"""Valid HTML: the Nu Html Checker over every page of the shipped site and of the multi-year fixture
site (older and draft years, the comparison page with several years), in one run.

Errors in markup that our templates, macros, hooks or pages write fail the test. Material's own known
errors are the reviewed exceptions of site_tests/vnu.py, each still asserted to occur. The pages as
scripts change them (the filled form, the office's tables and charts, a comparison) are checked in
test_accessibility.py, which makes those states.
"""

from __future__ import annotations

import pytest

from site_tests import vnu

pytestmark = pytest.mark.site

# Checked in the same run: the messages of two reviewed theme errors, in markup that is not the
# theme's. They must count as ours (an exception never excuses our own markup).
CANARY = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>测试</title></head><body>'
          '<label class="gm-x" for="x" tabindex="">标签</label><input type="checkbox" id="x" autocomplete="off">'
          '</body></html>')


def test_every_built_page_is_valid_html(built_site, years_site, tmp_path):
    pages = sorted(built_site.rglob("*.html")) + sorted(years_site.rglob("*.html"))
    assert len(pages) >= 30
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")

    ours, theirs = vnu.split(vnu.check([*pages, canary]))

    from_canary = [m for m in ours if m.get("url", "").endswith("/canary.html")]
    assert sorted(m["message"][:12] for m in from_canary) == ["Attribute “a", "Bad value “”"], from_canary
    ours = [m for m in ours if m not in from_canary]
    assert ours == [], "HTML errors in the built pages:\n" + vnu.describe(ours)
    gone = [known.message for known, count in theirs.items() if count == 0]
    assert gone == [], f"reviewed theme errors that no longer occur (remove them from site_tests/vnu.py): {gone}"
