"""A generated file MkDocs hard-links into the site instead of copying it.

A public build hands MkDocs tens of thousands of files it wrote beside the staging
folder (the open data, a document per decision), on the same disk. Copying them read
and wrote every byte again; a hard link is one directory entry. The site's file and
the written one are then one file, which is why only files of this build's own scratch
folder are linked (removed after the build): never a file of the build cache, which a
plugin or hook writing into the site being built would change too. Where a link
cannot be made (another disk, a file system without links) the file is copied as
MkDocs does.
"""

from __future__ import annotations

import os
from typing import ClassVar

from mkdocs.structure.files import File


class LinkedFile(File):
    """:class:`File` made with :meth:`File.generated` from ``abs_src_path``, linked."""

    #: Folders made in this build (:meth:`new_build` empties it): ten thousand files in
    #: one folder asked the disk ten thousand times whether it exists (a second of a
    #: 10 000-case rebuild). A folder gone since only costs a copy (the link fails).
    made: ClassVar[set[str]] = set()

    @classmethod
    def new_build(cls) -> None:
        cls.made.clear()

    def copy_file(self, dirty: bool = False) -> None:
        if self._content is not None or self.abs_src_path is None or dirty:
            super().copy_file(dirty)
            return
        output = self.abs_dest_path
        folder = os.path.dirname(output)
        if folder not in LinkedFile.made:
            os.makedirs(folder, exist_ok=True)
            LinkedFile.made.add(folder)
        try:
            os.link(self.abs_src_path, output)
        except OSError:
            super().copy_file(dirty)
