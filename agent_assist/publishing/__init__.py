"""Publishing rule packs and script libraries to a team: folders as one text (``bundle``),
checked with the real loaders (``validate``), and the version a desktop's next call
runs (``active``). Qt-free. See docs/publishing.md.
"""
