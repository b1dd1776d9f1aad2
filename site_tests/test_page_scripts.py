"""portal/scripts.py: the static import graph a page preloads, read from the page scripts' text.

The assessment form's `<link rel="modulepreload">` list is this graph (macros/templates/
assess_form.md.j2); test_site_build.py checks the built page against its own reading of the imports.
"""

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from macros import render_assess
from portal.scripts import SCRIPTS, ScriptError, imports_of, module_graph
from scorer import tree

# The ways a module of this site imports another, each a template for the target's file name.
STATIC = [
    'import {{ a }} from "./{}";',
    "import {{ a,\n  b as c,\n}} from './{}';",
    'import * as ns from "./{}";',
    'import "./{}";',
    'export {{ a }} from "./{}";',
    'export * from "./{}";',
]
# Not static imports of the module: the graph must not follow them.
IGNORED = [
    'const later = () => import("./{}");',
    '// import {{ a }} from "./{}";',
    '/* import {{ a }} from "./{}"; */',
    'const path = "./{}";',
]

NAMES = [f"m{i}.mjs" for i in range(8)]


@st.composite
def programs(draw):
    """Up to 8 modules, each importing others (cycles allowed) in any of the static forms, and
    naming others in ways that are not static imports."""
    edges, files = {}, {}
    for name in NAMES:
        lines, real = [], []
        for target in draw(st.lists(st.sampled_from(NAMES), max_size=4)):
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(STATIC)).format(target))
                real.append(target)
            else:
                lines.append(draw(st.sampled_from(IGNORED)).format(target))
            lines.append("export const x = 1;")
        edges[name], files[name] = real, "\n".join(lines) + "\n"
    return edges, files


def reachable(edges, entry):
    seen, todo = set(), [entry]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(edges[name])
    return seen


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_the_graph_is_every_module_reached_by_static_imports_once(program):
    edges, files = program
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            (Path(folder) / name).write_text(text, "utf-8")
        for name in NAMES:
            assert imports_of(files[name]) == edges[name]
        graph = module_graph("m0.mjs", Path(folder))
        assert graph[0] == "m0.mjs" and len(graph) == len(set(graph))
        assert set(graph) == reachable(edges, "m0.mjs")


def test_a_missing_module_is_named_with_its_importer(tmp_path):
    (tmp_path / "page.mjs").write_text('import { a } from "./gone.mjs";\n', "utf-8")
    with pytest.raises(ScriptError, match=r"page\.mjs 导入的页面脚本 gone\.mjs 不存在"):
        module_graph("page.mjs", tmp_path)


def test_the_assessment_form_preloads_exactly_the_graph_of_its_script():
    """The form's list comes from the scripts: a module added to the graph is preloaded."""
    years = tree.load("site_tests/fixtures/years")
    page = render_assess.render_form(years, 2019, "dept")
    preloaded = re.findall(r'<link rel="modulepreload" href="[^"]*assets/javascripts/([\w.-]+\.mjs)">', page)
    assert preloaded == module_graph("assess.mjs", SCRIPTS)
    assert {"assess.mjs", "scorer-client.mjs", "assess-carry.mjs", "assess-feedback.mjs"} <= set(preloaded)
    assert not [m for m in preloaded if m.startswith("office-")]  # the assessment page loads no office module


def test_a_new_import_is_preloaded_without_touching_the_template(tmp_path):
    for path in SCRIPTS.glob("*.mjs"):
        (tmp_path / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (tmp_path / "brand-new.mjs").write_text("export const fresh = 1;\n", "utf-8")
    entry = tmp_path / "assess.mjs"
    entry.write_text('import { fresh } from "./brand-new.mjs";\n' + entry.read_text("utf-8"), "utf-8")
    page = render_assess.render_form(tree.load("site_tests/fixtures/years"), 2019, "dept", tmp_path)
    assert 'assets/javascripts/brand-new.mjs">' in page
