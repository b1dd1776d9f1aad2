"""The build's own failures, independent of the engine that runs the build.

The portal's build steps raise these; the engine adapter (sitebuild/plugin.py) turns them into the
engine's "failed build with this message" (mkdocs' PluginError), so the steps can be called and
tested without any engine installed.
"""

from __future__ import annotations


class BuildError(Exception):
    """The build cannot go on; the message (Chinese where an editor reads it) says what to fix."""


class ThemeChanged(BuildError):
    """The theme's code or markup is no longer exactly what a patch of ours expects: the patch must be
    looked at again (the message names the module), rather than shipping a wrong or missing fix."""
