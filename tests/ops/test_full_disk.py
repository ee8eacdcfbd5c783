"""A full disk while `lokalkompas brief` writes a PDF: a clear Danish error, a non-zero exit, no file.

The real thing where the machine lets us: a 64 KiB tmpfs mounted in the test's folder (needs root, or
CAP_SYS_ADMIN), filled to its last 4 KiB, which no brief PDF fits in. Everywhere: the same failure injected
at the file write (ENOSPC from the write, as a full disk gives it), and the other errors in Danish.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lokalkompas.briefs.models import IssuedBrief
from lokalkompas.lib import files
from lokalkompas.lib.files import reason, write_atomically

BRIEF = ["brief", "--kommune", "751", "--omraade", "dagtilbud", "--format", "pdf"]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB file system of its own, or a skip where this machine does not let us mount one."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode(errors='replace').strip()}")
    try:
        (folder / "fill").write_bytes(b"x" * 60_000)  # 4 KiB left: less than any PDF or XLSX we write
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_brief_pdf_on_a_full_disk_fails_in_danish_and_leaves_no_file(loaded, tiny_disk):
    target = tiny_disk / "oplaeg.pdf"
    with pytest.raises(CommandError) as caught:
        call_command(*BRIEF, "--out", str(target), "--udsted")
    assert caught.value.returncode == 1
    assert str(caught.value) == f"Kan ikke skrive {target}: der er ikke mere plads på disken. Intet er skrevet."
    assert [p.name for p in tiny_disk.iterdir()] == ["fill"]  # neither the file nor its temporary
    assert not IssuedBrief.objects.exists()  # and not issued: the next try starts from the same place


def test_a_failed_write_keeps_the_file_that_was_there(loaded, tiny_disk):
    target = tiny_disk / "oplaeg.pdf"
    target.write_bytes(b"the previous brief")
    with pytest.raises(CommandError, match="ikke mere plads"):
        call_command(*BRIEF, "--out", str(target))
    assert target.read_bytes() == b"the previous brief"
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["fill", "oplaeg.pdf"]


def test_a_write_that_fails_half_way_removes_its_temporary_file(tmp_path, monkeypatch):
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full)  # after the bytes went to the file, before the rename
    with pytest.raises(OSError) as caught:
        write_atomically(tmp_path / "oplaeg.pdf", b"%PDF-1.7 half")
    assert reason(caught.value) == "der er ikke mere plads på disken"
    assert list(tmp_path.iterdir()) == []


def test_an_atomic_write_replaces_the_file_whole_with_the_usual_permissions(tmp_path):
    target = tmp_path / "oplaeg.pdf"
    target.write_bytes(b"old")
    write_atomically(target, b"new and longer")
    assert target.read_bytes() == b"new and longer"
    assert [p.name for p in tmp_path.iterdir()] == ["oplaeg.pdf"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_an_error_the_os_names_in_english_is_still_given(tmp_path):
    assert reason(OSError(errno.EROFS, "Read-only file system")) == "filsystemet er skrivebeskyttet"
    assert reason(OSError(errno.ETXTBSY, "Text file busy")) == "Text file busy"


def test_the_template_command_also_writes_atomically_and_in_danish(tiny_disk):
    target = tiny_disk / "skabelon.xlsx"
    with pytest.raises(CommandError, match=r"der er ikke mere plads på disken\. Intet er skrevet\."):
        call_command("skabelon", "maanedsforbrug", "--ud", str(target))
    assert not target.exists()
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["fill"]
