"""The reference site (`errspec site`, `errspec serve`): one page per code and locale, an
index with search, the changelog, the translation status, errors.json and short links.

model.py    the site's facts, computed once from the Spec
targets.py  the site's target table
markup.py   its escaping filters (HTML, inline Markdown, JSON in a script)
words.py    its fixed words
build.py    the run: the spec's stages, then one render per row
serve.py    the preview server (rebuilds, reloads, shows a spec's problems)
"""
