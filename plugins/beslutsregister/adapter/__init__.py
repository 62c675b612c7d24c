"""The MkDocs adapter: the plugin and its options, the build's second process, the
preview's caches, Material's navigation rendered once, and the preview's host guard.
"""
