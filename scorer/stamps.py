"""Check stamps: "this exact workspace text was checked by this scorer against these bundles".

Why: the office's pages keep the year's workspace in the browser (IndexedDB), and every text the store
holds was checked by the scorer before it was saved (`workspace_read`). Checking 1,000
organizations' self-assessments, 20,000 supervision records and 1,000 reviews again on every page
open (more than a second under Pyodide) finds nothing new. A stamp binds three SHA-256 digests: the
scorer's own code (its modules and schemas), the content of the year's bundles (the standards with
the year's evaluation and application settings) and the workspace text. Change any of them (a new
version of the site, a revised standard, a text edited by any other means) and the stamp no longer
matches: the workspace is read and checked in full, as a file from outside is.

A stamp is not a secret and not a signature. The store belongs to the site's own origin: whoever can
write a forged stamp there can already run code on the page, and would only skip checks of their own
data. What a stamp saves is work, never a check of anything that came from outside.

The scorer also remembers (in memory, for the life of the worker) the last texts it checked in full,
so the pages' several operations on one unchanged workspace check it once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections import OrderedDict
from pathlib import Path

FORMAT = "gm-stamp/1"
_REMEMBERED = 8  # workspaces (a page holds one year; a merge holds two), keyed by digests only

_HEX = re.compile(r"[0-9a-f]{64}")
_code: str | None = None
_checked: OrderedDict = OrderedDict()


_recent: list = []  # (text, digest) of the last two texts: a workspace and its bundles


def digest(text: str) -> str:
    """SHA-256 of a text's UTF-8 (lone surrogates kept as they came, so no text is refused here). The
    last two texts' digests are kept, found by identity or else by equality: one operation asks for
    its workspace's up to three times (known, then remembered after a full check, then the stamp it
    returns), each time beside its bundles', and a page sends the same year's text (megabytes) to
    operation after operation, each time as a new string. Comparing two equal texts is a memory
    compare; encoding and hashing 9.4 MB took 57 ms under Pyodide."""
    for seen, value in _recent:
        if seen is text or seen == text:
            return value
    value = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    _recent.insert(0, (text, value))
    del _recent[2:]
    return value


def code() -> str:
    """SHA-256 over the scorer's modules and schemas, by relative path: the same in CPython (the
    source tree) and under Pyodide (the same files, from the wheel). Computed once per process."""
    global _code
    if _code is None:
        root = Path(__file__).resolve().parent
        h = hashlib.sha256()
        for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".json") and "__pycache__" not in p.parts):
            data = path.read_bytes()
            h.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
            h.update(data)
        _code = h.hexdigest()
    return _code


_BUNDLES: dict = {}


def bundles_digest(bundles_text: str) -> str:
    """SHA-256 of the bundles' content, not of their text: pages join the same published files with
    or without surrounding whitespace, in their own order. Made once per distinct text."""
    raw = digest(bundles_text)
    found = _BUNDLES.get(raw)
    if found is None:
        try:
            value = json.loads(bundles_text, parse_float=str, parse_int=str)
            if isinstance(value, list):
                value = sorted(value, key=lambda b: json.dumps(b.get("standard", {}).get("id") if isinstance(b, dict) else b))
            found = digest(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
        except (ValueError, RecursionError, AttributeError):
            found = raw  # not bundles at all: the operation refuses them; the key only has to be stable
        if len(_BUNDLES) >= 16:
            _BUNDLES.clear()
        _BUNDLES[raw] = found
    return found


def _key(bundles_text: str, workspace_text: str) -> tuple:
    return bundles_digest(bundles_text), digest(workspace_text)


def _stamp_of(key: tuple) -> str:
    return hashlib.sha256(f"{FORMAT}\n{code()}\n{key[0]}\n{key[1]}".encode()).hexdigest()


def stamp(bundles_text: str, workspace_text: str) -> str:
    """The stamp of a workspace text checked against these bundles by this scorer."""
    return _stamp_of(_key(bundles_text, workspace_text))


def _note(key: tuple) -> None:
    _checked[key] = True
    _checked.move_to_end(key)
    while len(_checked) > _REMEMBERED:
        _checked.popitem(last=False)


def remember(bundles_text: str, workspace_text: str) -> str:
    """Note that this text was checked in full (by the caller, just now); its stamp."""
    key = _key(bundles_text, workspace_text)
    _note(key)
    return _stamp_of(key)


def known(bundles_text: str, workspace_text: str) -> bool:
    """Whether this text was checked against these bundles in this process (or vouched for)."""
    return _key(bundles_text, workspace_text) in _checked


def vouch(bundles_text: str, workspace_text: str, given) -> bool:
    """Accept `given` if it is this text's stamp (then the text counts as checked); False otherwise."""
    if not isinstance(given, str) or not _HEX.fullmatch(given):
        return False
    key = _key(bundles_text, workspace_text)
    if not hmac.compare_digest(given, _stamp_of(key)):
        return False
    _note(key)
    return True


def forget() -> None:
    """Drop what this process remembers (tests; a cold page)."""
    _checked.clear()
