"""Build-time helpers for the site: what `mkdocs build` adds beyond the Markdown pages.

- `vendor`: the pinned Pyodide runtime and the scorer wheel, copied into the site so the in-browser
  scorer loads everything from the site's own origin (intranets block CDNs).
- `startup`: optional start-up accelerators (precompiled stdlib, memory snapshot) made in Node.
- `publish`: the normalized standards as JSON under `data/`, for the browser and other systems.
- `hooks`: the thin mkdocs hook that calls the above.

The other modules here are the pages' and the assessment's own build steps (see their docstrings).
The work is in plain functions, testable without mkdocs; the hook files are thin adapters.
"""
