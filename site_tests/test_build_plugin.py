"""The build is one plugin with declared options, calling the portal's own engine-free steps in one
stated order (issue #14, #17): checked on the sources, without building the site."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from mkdocs.exceptions import PluginError

from sitebuild import build
from sitebuild.config import PortalConfig
from sitebuild.plugin import PortalPlugin

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("sitebuild", "macros", "portal")
ENGINE_ADAPTERS = {"sitebuild/plugin.py", "sitebuild/config.py"}  # the only files that know the engine


def modules(*packages):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text("utf-8"), str(path))


def imported(module_tree) -> set[str]:
    """Top-level names of the absolute imports of a module (relative ones stay in its package)."""
    names = set()
    for node in ast.walk(module_tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_mkdocs_yml_runs_no_hook_files_and_the_plugin_last():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    assert "hooks" not in config
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert names[-1] == "gm-portal" and names.count("gm-portal") == 1


def test_the_plugin_is_registered_as_an_entry_point_of_this_project():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    module, _, name = project["entry-points"]["mkdocs.plugins"]["gm-portal"].partition(":")
    assert (module, name) == ("sitebuild.plugin", "PortalPlugin")


def test_no_import_runs_between_macros_and_sitebuild_and_portal_needs_neither():
    found = {(path, name) for path, tree in modules(*PACKAGES) for name in imported(tree)
             if (path.startswith("macros/") and name == "sitebuild")
             or (path.startswith("sitebuild/") and name == "macros")
             or (path.startswith("portal/") and name in ("macros", "sitebuild"))}
    assert found == set()


def _is_sys_path(node) -> bool:
    if isinstance(node, ast.Subscript):
        node = node.value
    return (isinstance(node, ast.Attribute) and node.attr == "path"
            and isinstance(node.value, ast.Name) and node.value.id == "sys")


def sys_path_changes(tree) -> list[int]:
    """Lines that change sys.path: a call of one of its mutating methods, or an assignment to it."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_sys_path(node.func.value) \
                and node.func.attr in ("insert", "append", "extend", "remove", "pop", "clear", "__setitem__"):
            lines.append(node.lineno)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            lines += [node.lineno for target in targets if _is_sys_path(target)]
    return lines


def test_the_sys_path_check_sees_the_ways_of_patching_it():
    for code in ("sys.path.insert(0, ROOT)", "sys.path.append(x)", "sys.path[:0] = [x]", "sys.path += [x]",
                 "sys.path = [x]"):
        assert sys_path_changes(ast.parse(code)) == [1], code
    assert sys_path_changes(ast.parse("next(p for p in sys.path if p)")) == []  # reading it is fine


def test_nothing_patches_sys_path():
    found = [(path, line) for path, tree in modules(*PACKAGES) for line in sys_path_changes(tree)]
    assert found == []


def test_no_module_keeps_state_between_calls():
    """No `global` rebinding and no module-level empty container filled later (the old tree cache,
    the old `_serving` flag): a build's state lives on its Build object."""
    found = []
    for path, tree in modules(*PACKAGES):
        found += [(path, node.lineno, "global") for node in ast.walk(tree) if isinstance(node, ast.Global)]
        for node in tree.body:
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
            empty = (isinstance(value, (ast.Dict, ast.List, ast.Set)) and not getattr(value, "keys", getattr(value, "elts", None))) \
                or (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                    and value.func.id in ("dict", "list", "set") and not value.args)
            if empty:
                found.append((path, node.lineno, "empty container"))
    assert found == []


def test_only_the_adapter_knows_the_engine():
    """The portal's steps are plain Python: only the plugin and its config import the engine."""
    found = {path for path, tree in modules("sitebuild", "portal", "macros")
             if {"mkdocs", "properdocs"} & imported(tree) and path not in ENGINE_ADAPTERS}
    assert found == set()


def test_the_steps_run_in_the_stated_order():
    names = [name for name, _ in build.STEPS]
    assert names == ["runtime", "xlsxwriter", "data", "search", "csp", "offline"]
    assert names.index("runtime") < names.index("xlsxwriter")  # XlsxWriter is added to the runtime's manifest
    assert names.index("csp") > max(names.index(n) for n in ("runtime", "xlsxwriter", "data", "search"))
    assert names[-1] == "offline"  # records a revision of every file as published


def test_run_calls_every_step_once_in_order(monkeypatch, tmp_path):
    calls = []
    steps = tuple((name, lambda b, name=name: calls.append((name, b)) or name.upper()) for name, _ in build.STEPS)
    monkeypatch.setattr(build, "STEPS", steps)
    one = build.Build(root=tmp_path, site=tmp_path / "site", tree=None)
    logged = []
    assert build.run(one, lambda step, report: logged.append(step)) == {n: n.upper() for n, _ in steps}
    assert [name for name, _ in calls] == [name for name, _ in steps] == logged
    assert all(b is one for _, b in calls)


def test_the_options_are_declared_with_defaults_and_unknown_ones_fail():
    plugin = PortalPlugin()
    errors, warnings = plugin.load_config({})
    assert errors == [] and isinstance(plugin.config, PortalConfig)
    assert (plugin.config.standards_nav, plugin.config.search_fixes, plugin.config.serve_watch) == ("指标评价标准", True, ["scorer"])
    errors, warnings = PortalPlugin().load_config({"search_fixes": "yes"})
    assert errors
    _, warnings = PortalPlugin().load_config({"unknown_option": 1})
    assert any("unknown_option" in str(w) for w in warnings)  # strict builds turn this into a failure


def engine_config(tmp_path, nav):
    return SimpleNamespace(config_file_path=str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"), nav=nav)


def test_each_build_gets_its_own_state_and_serve_turns_the_policy_off(tmp_path):
    plugin = PortalPlugin()
    plugin.load_config({"search_fixes": False})
    plugin.on_startup(command="serve", dirty=False)
    nav = [{"首页": "index.md"}, {"指标评价标准": "standards/index.md"}]
    plugin.on_config(engine_config(tmp_path, nav))
    first = plugin.build
    assert first.serving and first.root == ROOT and first.tree.current is not None
    assert nav[1]["指标评价标准"][0] == {"概览": "standards/index.md"}  # the generated section
    plugin.on_config(engine_config(tmp_path, [{"首页": "index.md"}]))  # `mkdocs serve` rebuilding
    assert plugin.build is not first and plugin.build.tree is not first.tree


def test_a_build_error_fails_the_engine_s_build_with_its_message(tmp_path):
    """mkdocs reports a PluginError as a failed build with our message, not a traceback."""
    plugin = PortalPlugin()
    plugin.load_config({})
    plugin.build = build.Build(root=tmp_path, site=tmp_path / "site", tree=None)  # no node_modules here
    with pytest.raises(PluginError, match="npm ci"):
        plugin.on_post_build(config=engine_config(tmp_path, []))


def test_the_steps_run_without_an_engine_from_the_command_line(monkeypatch, tmp_path, capsys):
    seen = []
    monkeypatch.setattr(build, "STEPS", (("only", lambda b: seen.append(b) or "done"),))
    assert build.main(["--site", str(tmp_path), "--root", str(ROOT)]) == 0
    assert capsys.readouterr().out == "only: done\n"
    assert seen[0].site == tmp_path and seen[0].root == ROOT and seen[0].tree.current is not None
    monkeypatch.setattr(build, "STEPS", build.STEPS[:0] + (("runtime", build.step_runtime),))
    assert build.main(["--site", str(tmp_path / "site"), "--root", str(tmp_path)]) == 1  # no standards/ there
    assert "standards" in capsys.readouterr().err
