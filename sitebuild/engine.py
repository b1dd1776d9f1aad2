"""Which MkDocs-1.x-compatible engine builds the site, and a Python that runs another one.

The engine is chosen by one line of requirements.txt, `-r engines/<name>.txt` (engines/ holds each
engine's pins). `make build` and the tests run the chosen one as `python -m <name> build`; the
equivalence test (site_tests/test_engines.py) builds the site with every engine of ENGINES and
compares the results, so an engine upgrade or switch is checked before it ships.

Another engine than the installed one gets a small environment of its own under
.cache/engines/: a venv layered on the project's (it sees every package of the project's venv,
the editable install of this repository and so the build plugin included) holding only the
engine's pins that the project's venv lacks. Made once per set of pins, by pip from the registry.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from .errors import BuildError

# name -> how the generator the engine writes into every page's <meta name="generator"> starts: the
# one part of the pages that may differ between engines, and how a test tells which engine built them.
ENGINES = {"mkdocs": "mkdocs-1.", "properdocs": "mkdocs-ProperDocs "}
ENGINE_LINE = re.compile(r"^-r\s+engines/([A-Za-z0-9_-]+)\.txt\s*(?:#.*)?$", re.MULTILINE)


def declared(root: Path) -> str:
    """The engine requirements.txt installs (its one `-r engines/<name>.txt` line)."""
    path = Path(root) / "requirements.txt"
    found = ENGINE_LINE.findall(path.read_text("utf-8"))
    if len(found) != 1 or found[0] not in ENGINES:
        raise BuildError(f"{path}：须恰有一行 `-r engines/<引擎>.txt` 选定构建引擎（可选：{'、'.join(ENGINES)}），"
                         f"现有 {len(found)} 行：{found}")
    return found[0]


def pins(root: Path, name: str) -> list[str]:
    """The requirement lines of engines/<name>.txt (comments and blank lines left out)."""
    path = Path(root) / "engines" / f"{name}.txt"
    lines = [line.split("#")[0].strip() for line in path.read_text("utf-8").splitlines()]
    return [line for line in lines if line]


def build_command(python: Path | str, name: str, config_file: Path, out: Path) -> list[str]:
    """The command that builds the site with engine `name` under `python`."""
    return [str(python), "-m", name, "build", "--strict", "--quiet", "-f", str(config_file), "-d", str(out)]


def python_for(root: Path, name: str) -> Path:
    """A Python that runs engine `name`: this one when it can import the engine, else the layered
    environment under .cache/engines/ (made on first use; BuildError if pip fails)."""
    if importlib.util.find_spec(name) is not None:
        return Path(sys.executable)
    wanted = pins(root, name)
    base = sysconfig.get_paths()["purelib"]
    key = hashlib.sha256("\n".join([base, *wanted]).encode()).hexdigest()[:12]
    home = Path(root) / ".cache" / "engines" / f"{name}-{key}"
    python = home / "bin" / "python"
    if (home / "ready").is_file():
        return python
    home.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=home.parent))
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(scratch)], check=True, capture_output=True)
        purelib = subprocess.run([str(scratch / "bin" / "python"), "-c",
                                  "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 check=True, capture_output=True, text=True).stdout.strip()
        # addsitedir, not a bare path: the project venv's own .pth files (the editable install) apply too
        Path(purelib, "project-venv.pth").write_text(f"import site; site.addsitedir({base!r})\n", "utf-8")
        done = subprocess.run([sys.executable, "-m", "pip", "--python", str(scratch / "bin" / "python"), "install",
                               "--quiet", "--disable-pip-version-check", *wanted], capture_output=True, text=True)
        if done.returncode != 0:
            raise BuildError(f"无法安装构建引擎 {name}（{' '.join(wanted)}）：\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        (scratch / "ready").write_text(" ".join(wanted) + "\n", "utf-8")
        try:
            os.rename(scratch, home)  # atomic: a concurrent run made the same environment or this one
        except OSError:
            if not (home / "ready").is_file():
                raise
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)
    return python
