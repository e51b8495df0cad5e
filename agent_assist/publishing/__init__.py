"""Publishing rule packs and script libraries to a team: folders as one text (``bundle``),
checked with the real loaders (``validate``, through the trainer's ``draft`` check), the
version a desktop's next call runs (``active``) and trainers' working copies
(``working_copy``). Qt-free. See docs/publishing.md.
"""
