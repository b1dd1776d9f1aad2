"""The portal's own build: what the site needs beyond the Markdown pages an engine renders.

- `build`: the steps, in order, and the one place that says why that order (start here).
- `plugin`, `config`: the adapter to MkDocs-1.x-compatible engines (MkDocs 1.6, ProperDocs): a
  plugin with declared options, registered as `gm-portal` in pyproject.toml. The only modules that
  import the engine.
- `pages`: the generated year, standard and self-assessment pages and the standards nav section.
- `runtime`, `vendor`, `startup`: the in-browser scorer (Pyodide, the wheels, the start-up snapshot).
- `publish`: the normalized standards as JSON under `data/`, for the browser and other systems.
- `theme_search`, `theme_a11y`: small patches to Material, each failing the build if the theme
  changes under it (errors.ThemeChanged).
- `csp`, `offline`: the Content-Security-Policy and the service worker of the finished site.
- `bundle`: the intranet zip (`make bundle`), from a built site.
- `engine`: which engine builds the site (requirements.txt) and the environment of another one.

Everything but the adapter is plain Python, callable and tested without an engine.
"""
