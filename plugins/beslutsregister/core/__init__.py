"""The register itself: the case format, loading and validation, privacy, the publication
gate, grouping, pages and exports, the output guard and staging.

Plain Python with no MkDocs import: the command line and the tests use it as the
plugin does.
"""
