"""A public register of delegation decisions, built from a folder of Markdown case files.

The core (loading, validation, grouping, pages, exports, privacy) has no MkDocs import;
:mod:`beslutsregister.plugin` adapts it to MkDocs.
"""
