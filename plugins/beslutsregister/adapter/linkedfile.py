"""A generated file MkDocs hard-links into the site instead of copying it.

A public build hands MkDocs tens of thousands of files it wrote beside the staging
folder (the open data, a document per decision) or kept from an earlier build (case
pages in the build cache), all on the same disk. Copying them read and wrote every
byte again (2.9 s of a 10 000-case rebuild); a hard link is one directory entry. The
site's file and the source are then one file: the scratch folder is removed after the
build, and the build cache notices a kept page changed through the site (its digest
no longer matches) and renders that page again. Where a link cannot be made (another
disk, a file system without links) the file is copied as MkDocs does.
"""

from __future__ import annotations

import os

from mkdocs.structure.files import File


class LinkedFile(File):
    """:class:`File` made with :meth:`File.generated` from ``abs_src_path``, linked."""

    def copy_file(self, dirty: bool = False) -> None:
        if self._content is not None or self.abs_src_path is None or dirty:
            super().copy_file(dirty)
            return
        output = self.abs_dest_path
        os.makedirs(os.path.dirname(output), exist_ok=True)
        try:
            os.link(self.abs_src_path, output)
        except OSError:
            super().copy_file(dirty)
