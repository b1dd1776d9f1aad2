"""mkdocs-macros module for the portal (`module_name: macros` in mkdocs.yml).

The package form lets `main` import `render` relatively; `render` has no mkdocs dependency.
"""

from .main import define_env

__all__ = ["define_env"]
