"""Writing a file so that it is either all there or not there at all, and saying in Danish why not."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

# The OS's own texts (`strerror`) are English; these are the ones an operator meets when writing a file.
REASONS = {
    errno.ENOSPC: "der er ikke mere plads på disken",
    errno.EDQUOT: "brugerens diskkvote er opbrugt",
    errno.EACCES: "der er ikke adgang til at skrive der",
    errno.EPERM: "der er ikke adgang til at skrive der",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENOENT: "mappen findes ikke",
    errno.EISDIR: "det er en mappe",
    errno.EIO: "disken melder en fejl (I/O-fejl)",
}


def reason(exc: OSError) -> str:
    """Why a write failed, in Danish (the OS's English text for the rare ones we have no words for)."""
    return REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into place.

    A rename within one file system is atomic, so a reader (or the next run) sees the old file or the
    whole new one, never half of it; on any error (a full disk mid-write) the temporary file is removed,
    an existing file at `path` is left as it was, and the OSError propagates. fsync before the rename:
    otherwise a power cut could leave the new name pointing at data never written.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would make the file private
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
