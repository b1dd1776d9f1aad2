"""What the page templates (`macros/`) and the site build (`sitebuild/`) both need to know about the
site, kept here so neither imports the other: where the standards are read from (`data`) and where
each generated page lives (`paths`). Standard library and `scorer` only; no engine, no Jinja.
"""
