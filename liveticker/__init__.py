"""Domain library of the chronicle: entries, vocabularies, validation, German text.

Nothing in this package imports Pelican, so the same rules serve the site build
(plugins/), `invoke check`, the importers and the search indexes.
"""
