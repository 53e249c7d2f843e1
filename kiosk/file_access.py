"""Who may use the files the program writes: its user and its group, never anyone else.

The database, backups, logs, held visits and saved summaries hold health information.
A kiosk and a front desk on one computer may run as two users who share a group (see
README, "Running kiosk and desk as different users"), so files are 0660 and folders
2770: the set-group-ID bit makes what is created inside belong to the folder's group.
Other users of the computer get nothing.

The program starts with umask 007 (`restrict_new_files`), which also covers what
libraries create on their own (SQLite's journals, Qt's settings). Where this code
creates a file or a folder it also sets the mode explicitly, so a caller that did not
set the umask (a test, a tool) cannot widen it. Windows has no such modes: there the
files live in the user's own profile, protected by its access control lists.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o660
FOLDER_MODE = 0o2770
UMASK = 0o007
_POSIX = os.name == "posix"


def restrict_new_files() -> None:
    """From now on, nothing this process creates is open to other users (umask 007)."""
    os.umask(UMASK)


def make_folder(folder: Path) -> None:
    """Create `folder` and its parents where missing; a folder made here is 2770.

    A folder that already exists is left as it is: it may be the clinic's own choice.
    """
    if folder.is_dir():
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=FOLDER_MODE & 0o777)
    except FileExistsError:
        return  # another process made it first
    if _POSIX:
        # mkdir() leaves out the set-group-ID bit and applies the umask: set it whole.
        folder.chmod(FOLDER_MODE)


def create_file(path: Path) -> bool:
    """Create `path` empty with mode 0660 unless it exists; True when it was created."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    try:
        if _POSIX:
            os.fchmod(descriptor, FILE_MODE)  # the umask may have taken the group's bits
    finally:
        os.close(descriptor)
    return True


def write_file(path: Path, data: bytes) -> None:
    """Write `path` whole with mode 0660: through a partial file renamed into place, so
    a failure leaves either the old file or none, never half a document."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        create_file(partial)
        partial.write_bytes(data)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def keep_from_others(path: Path) -> bool:
    """Take every permission from other users on a file this user owns; True if it had any.

    For files made by an earlier version, before the modes above: the database must not
    stay readable by everyone because it was created then.
    """
    if not _POSIX:
        return False
    try:
        status = path.stat()
    except FileNotFoundError:
        return False
    if status.st_uid != os.geteuid() or not status.st_mode & 0o007:
        return False
    path.chmod(stat.S_IMODE(status.st_mode) & ~0o007)
    return True
