"""Search: the static index, what a query means, and the search page (with its JS and CSS).

No MkDocs import: the index writer, the query rules and the page are plain Python.
"""
