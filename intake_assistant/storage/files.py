"""Safe file writes and bounded reads: what every file of the data folder goes through.

A write goes to a temporary file in the same folder that is then renamed over the old file
(``os.replace``), so a crash or a killed terminal leaves either the old or the new file, never
half of one. Files are readable by the user only (0600), folders 0700.

Nothing here follows a link or opens a special file by accident: a read opens with
``O_NOFOLLOW | O_NONBLOCK`` (a pipe does not block, a link is refused) and then checks that
what it opened is a regular file (``fstat``) no larger than its limit; a write refuses a
link, a folder or a special file where its file should be; the data folder's own folders are
checked with ``lstat``.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from intake_assistant.i18n import Message

FILE_MODE = 0o600
DIR_MODE = 0o700

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class NotRegularFileError(OSError):
    """A device, a pipe or a socket where a file (or a folder) of ours should be."""

    def __init__(self, path: Path | str, what: str = "is not a regular file") -> None:
        super().__init__(errno.EINVAL, what, str(path))


class TooLargeError(OSError):
    """A file larger than what it is read for may be."""

    def __init__(self, path: Path | str, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"larger than {limit} bytes", str(path))
        self.size = size
        self.limit = limit


def write_problem(exc: OSError) -> Message:
    """Why a write failed, in words a user can act on (the OS's own text is English)."""
    if isinstance(exc, NotRegularFileError):
        return Message("the path is a device, a pipe or a socket; intake-assistant writes only "
                       "to regular files")
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return Message("the disk is full")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Message("the folder is read-only or may not be written to")
    if code == errno.EISDIR:
        return Message("the path is a folder, not a file")
    if code == errno.ELOOP:
        return Message("the path is a symbolic link; intake-assistant does not write through links")
    if code == errno.ENOENT:
        return Message("the folder does not exist")
    return Message("the file cannot be written ({reason})", reason=exc.strerror or str(exc))


def ensure_dir(path: Path, *, link_allowed: bool = False) -> None:
    """Make the folder ``path`` (0700) when it is missing.

    Unless ``link_allowed`` (the data folder itself, which the user chose), a link there is
    refused (``OSError`` ELOOP) and so is anything else that is not a folder: the data
    folder's own folders are never followed elsewhere.
    """
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if not link_allowed:
        check_own_folder(path)
    try:
        os.chmod(path, DIR_MODE)
    except OSError:  # a folder we do not own (a shared documents folder): leave it be
        pass


def check_own_folder(path: Path) -> bool:
    """Whether the folder ``path`` exists (False when it does not); a link or anything else
    that is not a folder raises ``OSError`` (ELOOP, or ``NotRegularFileError``)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(info.st_mode):
        raise OSError(errno.ELOOP, "is a symbolic link", str(path))
    if not stat.S_ISDIR(info.st_mode):
        raise NotRegularFileError(path, "is not a folder")
    return True


def refuse_unwritable(path: Path) -> None:
    """Refuse a link, a folder or a special file at ``path`` (nothing there is fine)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise OSError(errno.ELOOP, "is a symbolic link", str(path))
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFileError(path)


def stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells one version of a file from another without reading it (another writer's
    save is a new file renamed into place: a new inode)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def open_regular(path: Path, flags: int, mode: int = FILE_MODE) -> int:
    """``os.open`` that neither follows a link (ELOOP) nor blocks on a pipe, and gives a
    descriptor only of a regular file (else ``NotRegularFileError``)."""
    fd = os.open(path, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, mode)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFileError(path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    A link raises ``OSError`` (ELOOP), a device, pipe or folder ``NotRegularFileError``, a
    larger file ``TooLargeError`` (before anything is read, and again should it grow while
    it is read); a missing file ``FileNotFoundError``.
    """
    try:
        fd = open_regular(path, os.O_RDONLY)
    except IsADirectoryError:
        raise NotRegularFileError(path, "is a folder") from None
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(fd).st_size
        if size > limit:
            raise TooLargeError(path, size, limit)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(path, len(data), limit)
    return data


def atomic_write(path: Path, text: str, *, mode: int = FILE_MODE) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename; ``path`` is replaced.

    A symbolic link, a folder or a special file at ``path`` is refused (``OSError``), never
    replaced or written through; on any failure the old file is left as it was.
    """
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (as ``atomic_write``)."""
    path = Path(path)
    refuse_unwritable(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def write_new_file(path: Path, text: str, *, overwrite: bool = False) -> Path:
    """Export ``text`` to ``path``; refuse (``FileExistsError``) to replace a file unasked."""
    path = Path(path).expanduser()
    refuse_unwritable(path)
    if path.exists() and not overwrite:
        raise FileExistsError(errno.EEXIST, "exists", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)
    return path.resolve()
