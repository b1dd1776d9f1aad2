"""The Guangming duty portal's scorer: load and check the Measures and the indicator standards, and score
self-assessments against them.

Standard library only: the same package runs in CPython (CLI, site build, tests) and in the browser
under Pyodide. Reading YAML (`scorer.yamlsource`) is the one CPython-only part; the browser loads the
normalized JSON that the build publishes.
"""

from .errors import InvalidInput, Problem

__all__ = ["InvalidInput", "Problem"]
__version__ = "0.1.0"
