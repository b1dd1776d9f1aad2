"""The intranet bundle: the built site, a deployment note and a ready nginx server block in one zip.

    python -m sitebuild.bundle [--site site] [--out dist] [--root DIR] [--port N]   (`make bundle`)

writes dist/guangming-portal-<YYYYMMDD>-<git short sha>.zip holding

    site/         the built site as `mkdocs build` made it (Pyodide, the scorer wheel, data/ included),
                  plus a precompressed `.gz` beside every large compressible file for `gzip_static`
    DEPLOY.md     the deployment note for the intranet's administrators (Chinese)
    nginx.conf    an nginx `server` block: MIME types, gzip, cache and security headers

Organizations whose networks cannot reach GitHub Pages unpack it on any static web server.

The Content-Security-Policy is defined in sitebuild/csp.py (which also puts it into every page as a
meta element); the nginx block sends it as a header, and the tests compare the header nginx sends with
it. It lists the SHA-256 of each distinct inline script of the built site, so the policy belongs to
the site it was made from and ships beside it.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import jinja2

from sitebuild import csp

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "deploy"
NAME = "guangming-portal"

DEFAULT_ROOT = "/srv/guangming-portal/site"
DEFAULT_PORT = 8080

# The policy is defined once, in sitebuild/csp.py, which also writes it into every page as a meta
# element (GitHub Pages sends no headers); the nginx block sends the same policy as a header.
CSP_DIRECTIVES = csp.CSP_DIRECTIVES
inline_script_hashes = csp.inline_script_hashes

# Files worth a `.gz` twin for nginx's gzip_static: compressible types (nginx.conf's gzip_types) above
# gzip_min_length, kept only when compression saves at least a tenth.
GZIP_SUFFIXES = (".wasm", ".mjs", ".js", ".json", ".css", ".html", ".svg", ".xml", ".txt", ".map")
GZIP_MIN_BYTES = 1024
# Already compressed: stored in the zip as they are.
STORED_SUFFIXES = (".gz", ".zip", ".whl", ".png", ".jpg", ".jpeg", ".webp", ".woff2", ".bin")


def content_security_policy(site: Path) -> str:
    """The Content-Security-Policy header value for this built site (sitebuild/csp.py)."""
    return csp.content_security_policy(site)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_nginx(site: Path, *, root: str = DEFAULT_ROOT, port: int = DEFAULT_PORT, server_name: str = "_",
                 label: str = NAME) -> str:
    """The nginx `server` block for this site, served from `root` on `port`."""
    csp = content_security_policy(site)
    if '"' in csp or "\n" in csp:
        raise ValueError("the policy cannot be quoted in nginx.conf")
    return _environment().get_template("nginx.conf.template").render(
        csp=csp, root=root, port=port, server_name=server_name, label=label)


def render_deploy_note(site: Path, *, label: str, built: str, commit: str, root: str, port: int) -> str:
    """DEPLOY.md: the deployment note for the intranet's administrators."""
    manifest = json.loads((Path(site) / "assets" / "wheels" / "manifest.json").read_text("utf-8"))
    return _environment().get_template("DEPLOY.md.template").render(
        label=label, built=built, commit=commit, root=root, port=port, pyodide=manifest["pyodide"],
        has_assess=(Path(site) / "assess" / "index.html").is_file(), csp=content_security_policy(site))


def git_version(root: Path = ROOT) -> str:
    """Short commit of the work tree, with `-dirty` when tracked files differ from it ('nogit' outside git)."""
    try:
        sha = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "nogit"
    return sha + ("-dirty" if changed else "")


def bundle_label(today: datetime.date, version: str) -> str:
    return f"{NAME}-{today:%Y%m%d}-{version}"


def _gzipped(path: Path) -> bytes | None:
    """The file gzipped (level 9, no name or time inside, so equal files give equal bytes), or None
    when it is not worth serving compressed."""
    if path.suffix not in GZIP_SUFFIXES or path.stat().st_size < GZIP_MIN_BYTES:
        return None
    raw = path.read_bytes()
    packed = gzip.compress(raw, compresslevel=9, mtime=0)
    return packed if len(packed) <= 0.9 * len(raw) else None


def _entry(name: str, mtime: float) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=datetime.datetime.fromtimestamp(max(mtime, 315532800)).timetuple()[:6])
    info.external_attr = 0o644 << 16  # readable by the web server's user once unpacked
    return info


def make_bundle(site: Path, out_dir: Path, *, version: str | None = None, root: str = DEFAULT_ROOT,
                port: int = DEFAULT_PORT) -> Path:
    """Write <out_dir>/guangming-portal-<YYYYMMDD>-<version>.zip from the built `site`; return its path.
    `version` defaults to the work tree's short commit (see git_version)."""
    site, out_dir = Path(site), Path(out_dir)
    if not (site / "index.html").is_file() or not (site / "assets" / "wheels" / "manifest.json").is_file():
        raise SystemExit(f"error: {site} is not a built site with the vendored runtime; run `make build` first")
    version = version or git_version()
    now = datetime.datetime.now().astimezone()
    label = bundle_label(now.date(), version)
    built = now.strftime("%Y-%m-%d %H:%M (UTC%z)")
    commit = version.removesuffix("-dirty") + ("（构建时工作区有未提交的修改）" if version.endswith("-dirty") else "")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{label}.zip"
    partial = target.with_suffix(".zip.partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as bundle:
            bundle.writestr(_entry("DEPLOY.md", now.timestamp()),
                            render_deploy_note(site, label=label, built=built, commit=commit, root=root, port=port))
            bundle.writestr(_entry("nginx.conf", now.timestamp()),
                            render_nginx(site, root=root, port=port, label=label))
            for path in sorted(p for p in site.rglob("*") if p.is_file()):
                name = "site/" + path.relative_to(site).as_posix()
                mtime = path.stat().st_mtime
                stored = path.suffix in STORED_SUFFIXES
                bundle.writestr(_entry(name, mtime), path.read_bytes(),
                                compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
                packed = _gzipped(path)
                if packed is not None and not (path.parent / (path.name + ".gz")).exists():
                    bundle.writestr(_entry(name + ".gz", mtime), packed, compress_type=zipfile.ZIP_STORED)
        os.replace(partial, target)  # a zip in dist/ is always a whole one
    finally:
        partial.unlink(missing_ok=True)
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitebuild.bundle", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the zip goes (default: dist/)")
    parser.add_argument("--root", default=DEFAULT_ROOT, help=f"site folder on the server, for nginx.conf (default: {DEFAULT_ROOT})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port nginx listens on (default: {DEFAULT_PORT})")
    args = parser.parse_args(argv)
    target = make_bundle(args.site, args.out, root=args.root, port=args.port)
    print(f"{target} ({target.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
