"""Atomic publication: a build writes beside the site, and is swapped in only when it passed.

MkDocs empties ``site_dir`` before it builds, so a build that fails half way (one bad
date, a leak the output guard found, a build killed by a deploy script) would leave an
empty or partial site where the last good one was. A public build therefore writes
into a staging folder beside ``site_dir`` (``.site.staging-<pid>``), and only when the
build and the output guard passed is the staging folder swapped with ``site_dir``: on
Linux in one step (``renameat2`` with ``RENAME_EXCHANGE``), so a reader sees the old
site or the new one, never neither; elsewhere by two renames. Until then the previous
site stays byte for byte; a failed build removes its staging folder, and one killed
with SIGKILL leaves it to the next build, which removes it first. The replaced site is
removed by a process of its own after the swap (seconds for a large register that no
reader and no part of the build waits for).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import secrets
import shutil
import subprocess
import sys
import threading
from pathlib import Path

#: What removes a replaced site (see :meth:`StagedSite._remove_previous`).
_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
#: The removers this process started (kept: they run on after the build).
_REMOVERS: list[subprocess.Popen[bytes]] = []

_RENAME_EXCHANGE = 2  # <linux/fs.h>
_AT_FDCWD = -100


class StagingError(OSError):
    """The staging folder could not be made, or not swapped in."""


class StagedSite:
    """The staging folder of one build into ``target`` (the configured ``site_dir``)."""

    def __init__(self, target: Path) -> None:
        target = target.absolute()
        # A site_dir that links to the served folder (site -> /var/www/register): the
        # folder is swapped, the link stays.
        self.target = target.resolve() if target.is_symlink() else target
        self.prefix = f".{self.target.name}.staging-"
        self.folder = self.target.parent / f"{self.prefix}{os.getpid()}"
        # Beside it, for files the build writes to be copied in (the open data): on the
        # same disk, and removed with the staging folder, also when a build was killed.
        self.scratch_prefix = f".{self.target.name}.scratch-"
        self.scratch = self.target.parent / f"{self.scratch_prefix}{os.getpid()}"
        self.previous_prefix = f".{self.target.name}.previous-"  # the site it replaced
        self.removing: threading.Thread | None = None  # the previous site, being removed

    def prepare(self) -> Path:
        """Remove staging folders that dead builds left, and make this build's."""
        self.target.parent.mkdir(parents=True, exist_ok=True)
        for prefix, own in ((self.prefix, self.folder), (self.scratch_prefix, self.scratch)):
            for leftover in self.target.parent.glob(f"{prefix}*"):
                pid = leftover.name.removeprefix(prefix)
                if leftover != own and not (pid.isdigit() and _alive(int(pid))):
                    shutil.rmtree(leftover, ignore_errors=True)
        for previous in self.target.parent.glob(f"{self.previous_prefix}*"):
            _start_remover(previous)  # a removal cut short (or still running: harmless)
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.folder.mkdir()
        return self.folder

    def scratch_folder(self) -> Path:
        """An empty folder beside the staging folder, gone after :meth:`publish` or
        :meth:`discard` (or the next build, if this one was killed)."""
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.scratch.mkdir()
        return self.scratch

    def publish(self) -> None:
        """Swap the staging folder in as ``target``; the previous site is removed."""
        shutil.rmtree(self.scratch, ignore_errors=True)
        if not self.target.exists() and not self.target.is_symlink():
            os.rename(self.folder, self.target)
            return
        if not self.target.is_dir() or self.target.is_symlink():
            raise StagingError(f"site_dir {self.target} is not a folder; expected a folder "
                               "(or nothing) where the site is published")
        if _exchange(self.folder, self.target):
            self._remove_previous(self.folder)  # now the previous site
            return
        previous = self.target.parent / f"{self.prefix}{os.getpid()}.previous"
        try:
            os.rename(self.target, previous)
        except OSError as exc:
            if exc.errno not in (errno.EBUSY, errno.EXDEV):
                raise
            self._replace_contents()  # site_dir is a mount point: it cannot move
            return
        try:
            os.rename(self.folder, self.target)
        except OSError:
            os.rename(previous, self.target)  # put the previous site back
            raise
        self._remove_previous(previous)

    def _remove_previous(self, folder: Path) -> None:
        """Remove the previous site after the build: tens of thousands of files, seconds
        of waiting for the disk that nothing needs to wait for. It is renamed out of the
        way (``.site.previous-<pid>``) and a process of its own removes it, which
        outlives the build; where one cannot be started, a thread removes it and
        :meth:`finish` waits. A removal cut short is finished by the next build."""
        previous = self.target.parent / (f"{self.previous_prefix}{os.getpid()}-"
                                         f"{secrets.token_hex(4)}")
        try:
            os.rename(folder, previous)
        except OSError:
            previous = folder  # removed where it is
        try:
            _start_remover(previous)
        except (OSError, ValueError):
            self.removing = threading.Thread(target=shutil.rmtree, args=(previous,),
                                             kwargs={"ignore_errors": True})
            self.removing.start()

    def finish(self) -> None:
        """Wait until a thread removed the previous site (after :meth:`publish`)."""
        if self.removing is not None:
            self.removing.join()
            self.removing = None

    def _replace_contents(self) -> None:
        """Not atomic, for a ``site_dir`` that cannot be renamed: empty it, move in."""
        for child in self.target.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for child in self.folder.iterdir():
            shutil.move(child, self.target / child.name)
        self.folder.rmdir()

    def discard(self) -> None:
        """Remove the staging folder (a failed build); the published site is untouched."""
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.scratch, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux); False where that cannot be done."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # no C library, or one without renameat2
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                 _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False  # a file system or kernel that cannot exchange
    raise StagingError(error, f"swapping in the new site: {os.strerror(error)}", str(second))


def wait_for_removals(timeout: float = 60) -> None:
    """Wait until the replaced sites this process handed to removers are gone."""
    while _REMOVERS:
        _REMOVERS.pop().wait(timeout)


def _start_remover(folder: Path) -> None:
    """Remove ``folder`` in a process of its own, which outlives this one."""
    _REMOVERS.append(subprocess.Popen(
        [sys.executable, "-c", _REMOVE, os.fsdecode(folder)], stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True
