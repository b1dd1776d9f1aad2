"""The Nu Html Checker (npm `vnu-jar`, pinned in package.json) for the tests: one JVM over many files,
and the reviewed list of errors that Material for MkDocs' own markup has.

Everything our templates, macros, hooks and scripts write must be valid HTML. Material's theme output
has a few known errors we do not patch; each is listed here with the reason it is harmless, matched by
the checker's message *and* a piece of the theme's markup in the extract, so an error of ours with
the same message is never excused. The tests also assert that each listed error still occurs, so the
list is trimmed when a Material update fixes one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class ThemeError:
    message: str
    markup: str  # a piece of Material's markup that the error's extract contains
    reason: str

    def matches(self, message: dict) -> bool:
        return message.get("message") == self.message and self.markup in message.get("extract", "")


THEME_ERRORS = (
    ThemeError(
        message="Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
                "“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, “search”, "
                "“tel”, “text”, “time”, “url”, or “week”.",
        markup='<input class="md-toggle" data-md-toggle=',
        reason="Material's hidden drawer and search toggles (base.html) carry autocomplete=\"off\" so that "
               "Firefox does not restore a checked toggle (an open drawer) on back navigation. The "
               "checkboxes are hidden and unlabelled on purpose; the attribute changes nothing else.",
    ),
    ThemeError(
        message="Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
        markup='<label class="md-nav__link" for="__nav_',
        reason="Material's nav-item.html writes tabindex=\"\" on the labels of navigation sections "
               "(navigation.sections): browsers ignore an empty tabindex, so the label stays out of the "
               "tab order, which is what Material means; the section's links stay reachable.",
    ),
    ThemeError(
        message="The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
        markup='<label class="md-nav__title" for="__toc">',
        reason="Material's toc.html titles the table of contents with a label for the __toc toggle, which "
               "nav-item.html writes only for a page that is in the navigation. Older and draft years' "
               "standards pages are deliberately not in the navigation (sitebuild/pages.py), so on them "
               "the label points at nothing: clicking the title does nothing, and the TOC is unchanged.",
    ),
)


def require_java() -> str:
    """Path of `java`; missing Java skips locally but fails in CI, like a missing Chromium."""
    java = shutil.which("java")
    if java and VNU_JAR.is_file():
        return java
    missing = "java (Debian: apt-get install default-jre-headless)" if not java else f"{VNU_JAR} (run `make setup`: npm ci)"
    message = f"the HTML check needs {missing}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def check(files) -> list[dict]:
    """Every error message of the checker over `files`, in one run (one JVM)."""
    java = require_java()
    files = [str(f) for f in files]
    assert files, "nothing to check"
    # --no-langdetect: the language guess only gives warnings, and loading its profiles costs seconds.
    done = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--no-langdetect", *files],
                          capture_output=True, text=True, timeout=600)
    # The report is JSON on stderr; the JVM may print a line before it (e.g. "Picked up JAVA_TOOL_OPTIONS").
    text = done.stderr or done.stdout
    try:
        report = json.loads(text[text.index('{"'):])
    except (ValueError, json.JSONDecodeError):
        pytest.fail(f"the checker failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return report["messages"]


def split(messages: list[dict]) -> tuple[list[dict], dict[ThemeError, int]]:
    """(our errors, count of each reviewed theme error)."""
    ours, theirs = [], {known: 0 for known in THEME_ERRORS}
    for message in messages:
        known = next((k for k in THEME_ERRORS if k.matches(message)), None)
        if known is None:
            ours.append(message)
        else:
            theirs[known] += 1
    return ours, theirs


def describe(messages: list[dict], root: Path | None = None) -> str:
    lines = []
    for m in messages:
        where = m.get("url", "?").removeprefix("file:")
        if root is not None:
            where = where.removeprefix(str(root) + "/")
        lines.append(f"{where}:{m.get('lastLine', '?')}: {m.get('type')}: {m.get('message')}\n    {m.get('extract', '').strip()}")
    return "\n".join(lines)
