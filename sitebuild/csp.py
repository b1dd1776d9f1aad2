"""The site's Content-Security-Policy: one definition, sent two ways.

- As an HTTP header by the intranet bundle's nginx block (`sitebuild/bundle.py` renders it from
  `content_security_policy`).
- As `<meta http-equiv="Content-Security-Policy">` in every built page, first thing after
  `<meta charset>`: GitHub Pages sends no custom headers, so this is the only way the policy reaches
  readers there (`add_meta`, a step of the build: sitebuild/build.py).

Material for MkDocs puts a few small inline scripts in every page (the `__md_scope` bootstrap and
the like); rather than allowing inline scripts, the policy lists the SHA-256 of each distinct one in
the built site. So the hashes are computed from the final HTML: in the build's STEPS this comes after
every step that writes pages and before the offline step, whose precache list records a revision
(hash) of each form page and so must see the page with its meta element in it. Inserting the element
changes no script, so the hashes stay valid.

Under `mkdocs serve` the pages get no meta element: its live reload is an inline script the policy
would refuse. `mkdocs build` (and so every published site and bundle) always writes it.

A meta element cannot carry `frame-ancestors`, `report-uri`, `report-to` or `sandbox` (browsers
ignore them there and log a warning), so the meta policy leaves them out; the header keeps them.

Only the theme's own inline scripts are hashed. Any other inline script in a built page (one that
came in through the YAML, say) fails the build: hashing it would let it run.

Only the standard library and Material's template folder are needed (bundle.py uses it too).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

from .errors import BuildError

# The policy without the inline-script hashes, which `content_security_policy` adds to script-src.
# - 'wasm-unsafe-eval': Pyodide compiles WebAssembly; it allows that and nothing else (no eval()).
# - worker-src 'self': the scorer and Material's search run in workers from the site itself.
# - style-src 'self': the built pages have no inline <style> or style="" (the tests check), and
#   scripts set styles through the CSSOM (element.style.x = …), which CSP does not govern.
# - img-src data:: Material's icons are data: SVGs in its stylesheet.
# - no source anywhere names another origin: the site loads nothing from outside (intranets).
CSP_DIRECTIVES: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'", "'wasm-unsafe-eval'"),
    "worker-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'self'",),
}

# Directives a <meta> policy may not carry (CSP3 §3.3): left out of the meta element.
HEADER_ONLY = frozenset({"frame-ancestors", "report-uri", "report-to", "sandbox"})

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_JS_TYPES = {"", "module", "text/javascript", "application/javascript"}
_CHARSET = re.compile(r"<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.I)
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.I)
_META = re.compile(r"""<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>\n?""", re.I)


def inline_scripts(text: str) -> list[str]:
    """Bodies of the executable inline scripts in one page's HTML. JSON data blocks (Material's
    `__config`) are not executed, so CSP does not apply to them."""
    bodies = []
    for match in _SCRIPT.finditer(text):
        attrs = match.group("attrs")
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        kind = _TYPE.search(attrs)
        if (kind.group(1).lower() if kind else "") in _JS_TYPES:
            bodies.append(match.group("body"))
    return bodies


def script_hash(body: str) -> str:
    """The CSP source expression ('sha256-…') allowing one inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


class UnknownInlineScript(BuildError, ValueError):
    """A built page has an inline script that is not one of the theme's."""


def _theme_templates() -> Path:
    import material  # mkdocs-material, the theme: its templates hold every inline script it writes

    return Path(material.__file__).resolve().parent / "templates"


_JINJA = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.S)


def theme_script_patterns(templates: Path | None = None) -> list[re.Pattern]:
    """One regular expression per inline script in the theme's templates: the script's text, with each
    Jinja expression or tag standing for any text without `<` or `>` (a URL, a flag)."""
    patterns = []
    for template in sorted(Path(templates or _theme_templates()).rglob("*.html")):
        for body in inline_scripts(template.read_text("utf-8")):
            parts = _JINJA.split(body)
            regex = "".join("[^<>]*?" if i % 2 else re.escape(part) for i, part in enumerate(parts))
            patterns.append(re.compile(regex, re.S))
    return patterns


def inline_script_hashes(site: Path, templates: Path | None = None) -> list[str]:
    """CSP source expressions of every distinct executable inline script in the site's HTML, each
    checked to be one the theme writes (UnknownInlineScript names the page otherwise)."""
    patterns = theme_script_patterns(templates)
    found = set()
    for page in sorted(Path(site).rglob("*.html")):
        for body in inline_scripts(page.read_text("utf-8")):
            if not any(p.fullmatch(body) for p in patterns):
                raise UnknownInlineScript(
                    f"{page}: an inline script the theme did not write, so the Content-Security-Policy "
                    f"will not allow it (move it into a .js file under docs/assets/): {body[:120]!r}")
            found.add(script_hash(body))
    return sorted(found)


def policy(hashes, *, meta: bool = False) -> str:
    """The policy string for these inline-script hashes; `meta=True` leaves out what a meta element
    cannot carry."""
    directives = dict(CSP_DIRECTIVES)
    directives["script-src"] = directives["script-src"] + tuple(hashes)
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items()
                     if not (meta and name in HEADER_ONLY))


def content_security_policy(site: Path, *, meta: bool = False) -> str:
    """The Content-Security-Policy of this built site: the header value, or (`meta=True`) the
    content of the pages' meta element."""
    return policy(inline_script_hashes(site), meta=meta)


def meta_element(value: str) -> str:
    # Only & and " need escaping in a double-quoted attribute; the policy's single quotes stay legible.
    content = html.escape(value, quote=False).replace('"', "&quot;")
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


def with_meta(text: str, value: str) -> str:
    """One page's HTML with the policy's meta element right after <meta charset> (or, without one,
    first in <head>); an element from an earlier run is replaced."""
    text = _META.sub("", text)
    element = meta_element(value)
    anchor = _CHARSET.search(text) or _HEAD.search(text)
    if anchor is None:
        raise ValueError("no <head> to put the Content-Security-Policy in")
    return text[: anchor.end()] + "\n      " + element + text[anchor.end():]


def add_meta(site: Path) -> tuple[str, int]:
    """Write the meta policy into every HTML page of the built site; returns (policy, pages)."""
    site = Path(site)
    pages = sorted(site.rglob("*.html"))
    value = policy(inline_script_hashes(site), meta=True)
    for page in pages:
        text = page.read_text("utf-8")
        page.write_text(with_meta(text, value), encoding="utf-8")
    return value, len(pages)

