"""Blobs in a directory, by SHA-256: the filesystem is the whole truth, no database row.

A blob is stored when ``<root>/<sha[:2]>/<sha>`` exists (the counter's layout)
without the sticky bit (``UNCHECKED``), and an upload is under way when
``<root>/.uploads/<sha[:2]>/<sha>-<length>.part`` does. The partial file's size
*is* the upload offset, so whatever reached the disk before a cut (a dropped
connection, a killed client, a killed server process) counts, and the upload
goes on from there, through any process that shares the directory. Nothing
about an upload is kept in memory between requests: the request that brings an
upload's last byte hashes the whole file (a scan is a few megabytes; the
counter sends each blob in one request unless it is cut).

Durability is on the request's path, as a plain durable write's would be: an
answer that acknowledges an offset comes after the partial file's
``fdatasync``; a complete upload is synced and hashed (side by side, or
hashed first when it is small) and, only if its SHA-256 matches its name,
renamed into place and its directory synced, before the answer. A complete
partial file found later (a crash between the check and the rename) is hashed
again and moved into place if it still is the blob, deleted if not (the counter
sends it again).

A blob of up to ``IN_PLACE_BYTES`` sent whole in one request (nearly every
scan) skips the partial file: it is written straight into its place, marked
``UNCHECKED`` so that nobody takes it for a blob, synced with its directory,
and unmarked once its hash has matched and both syncs are done. That is the
disk's work of a plain durable write: on ext4 the new file's ``fdatasync``
also writes its directory entry, and the directory's sync finds nothing more to
write, where the rename of a partial file dirtied a second directory after the
flush (about 0.5 ms more per scan on the disks measured). If the request is
cut, what arrived becomes the partial file as above; if the process dies
first, those bytes are lost (the counter had no answer and sends the blob
again), as in a bucket's part. A marked file found later (a dead process, or a
power cut before the cleared mark reached the disk) is hashed again under the
hash's lock when a request needs it: unmarked, durably, if it is the blob,
deleted if not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import stat
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from starlette.requests import ClientDisconnect
from starlette.responses import FileResponse, Response

from sync.server.blobs import (
    BlobStore,
    UploadState,
    Verified,
    checksum_mismatch,
    hash_file,
    is_sha256,
    off_loop,
    offset_mismatch,
    too_long,
)
from sync.server.upload_locks import FileLocks, HashLocks

PART_SUFFIX = ".part"
_sync_data = getattr(os, "fdatasync", os.fsync)
# Hashes complete uploads while their own threads wait for the disk (``_check_and_place``).
_HASHING = ThreadPoolExecutor(thread_name_prefix="blob-hash")
# Up to this size an upload is hashed before its ``fdatasync``, not beside it: under
# load the hand-off to ``_HASHING`` took longer than hashing a 200 KB scan (paired
# rounds: 4-10% faster inline), and a 500 KB scan was about even. One written in
# place is hashed on the event loop as its pieces arrive, which spares reading it
# back (paired rounds at 200 KB: 3-8% faster than hashing it in its thread).
INLINE_HASH_BYTES = 256 * 1024
# A file in a blob's place with this bit set is not a blob: its bytes are being
# received, or were not checked since (see the module's docstring). Earlier
# versions never set it, and a filesystem that drops it is noticed (``_in_place``).
UNCHECKED = stat.S_ISVTX
# Whole uploads up to this size are written in place; a bigger one goes through its
# partial file, so that its bytes count as they arrive even if the process dies.
IN_PLACE_BYTES = 8 * 1024 * 1024


def _file_sha256(path: Path) -> str:
    with open(path, "rb", buffering=0) as handle:  # read into one buffer, reused
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _note_if(matches: bool, verified: Verified | None) -> tuple[bool, Callable[[], None] | None]:
    """Whether the upload is the blob, and, if it is, the wait for its note (sent now)."""
    if not matches:
        return False, None
    return True, verified() if verified is not None else None


def _sync_and_close(fd: int) -> None:
    """Make what was written durable, then close ``fd``: the thread owns it, not the request.

    Even a cancellation ``off_loop``'s shield does not stop (asyncio's own, at
    shutdown) then cannot close it under the thread.
    """
    try:
        _sync_data(fd)
    finally:
        os.close(fd)


def _hash_then_note(
    partial: Path, sha256: str, verified: Verified | None
) -> tuple[bool, Callable[[], None] | None]:
    return _note_if(_file_sha256(partial) == sha256, verified)


def _stat_of(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _create_marked(path: Path) -> int:
    """A new file at ``path``, asked to carry the ``UNCHECKED`` mark (the caller checks it did)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644 | UNCHECKED)


def _is_blob(info: os.stat_result | None) -> bool:
    return info is not None and stat.S_ISREG(info.st_mode) and not info.st_mode & UNCHECKED


def _is_marked(info: os.stat_result | None) -> bool:
    """Something is in the blob's place that is not a blob: a marked file."""
    return info is not None and not _is_blob(info)


def _clear_mark(fd: int) -> None:
    os.fchmod(fd, stat.S_IMODE(os.fstat(fd).st_mode) & ~UNCHECKED)


def _collect(checked: Future[tuple[bool, Callable[[], None] | None]]) -> None:
    """Wait for a hashing that is no longer needed, and for the note it may have sent."""
    with contextlib.suppress(Exception):
        _, noted = checked.result()
        if noted is not None:
            noted()


def sync_directory(directory: Path) -> None:
    """Make a rename into ``directory`` survive a power cut."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DirectoryBlobs(BlobStore):
    """The blob directory, shared by every server process of one host (or one mount)."""

    inline = True

    def __init__(
        self,
        root: Path,
        locks: HashLocks | None = None,
        max_age: dt.timedelta = dt.timedelta(days=2),
    ) -> None:
        self.root = root
        self.uploads = root / ".uploads"
        self.uploads.mkdir(parents=True, exist_ok=True)
        super().__init__(locks or FileLocks(self.uploads / ".locks"), max_age)
        self._dirs_made: set[Path] = set()
        self._in_place = True  # until a file is created without its mark
        self._tidy_earlier_layouts()
        self.sweep()

    # Paths ---------------------------------------------------------------------

    def final_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def _upload_dir(self, sha256: str) -> Path:
        """Fanned out like the blobs, so a rename does not wait on one busy directory."""
        return self.uploads / sha256[:2]

    def _partial(self, sha256: str, length: int) -> Path:
        return self._upload_dir(sha256) / f"{sha256}-{length}{PART_SUFFIX}"

    def _made(self, directory: Path) -> Path:
        """``directory``, created if this process has not made sure of it yet."""
        if directory not in self._dirs_made:
            directory.mkdir(exist_ok=True)
            self._dirs_made.add(directory)
        return directory

    def _partials(self, sha256: str) -> list[tuple[Path, int]]:
        """The blob's partial files and their declared lengths (one, unless a crash left two)."""
        prefix = f"{sha256}-"
        try:
            names = os.listdir(self._upload_dir(sha256))
        except FileNotFoundError:
            return []
        found = []
        for name in names:
            if name.startswith(prefix) and name.endswith(PART_SUFFIX):
                length = name[len(prefix) : -len(PART_SUFFIX)]
                if length.isdigit() and length.isascii():
                    found.append((self._upload_dir(sha256) / name, int(length)))
        return found

    def _tidy_earlier_layouts(self) -> None:
        """Move partial files earlier versions kept in one directory; drop their staging area."""
        legacy_staged = self.root / ".staged"
        if legacy_staged.is_dir():
            for leftover in legacy_staged.iterdir():
                leftover.unlink(missing_ok=True)
        for entry in os.scandir(self.uploads):
            name = entry.name
            sha256 = name.partition("-")[0]
            if entry.is_file() and name.endswith(PART_SUFFIX) and is_sha256(sha256):
                target = self._made(self._upload_dir(sha256)) / name
                with contextlib.suppress(FileNotFoundError):  # another process moved it
                    os.replace(entry.path, target)

    # Reading -------------------------------------------------------------------

    def has(self, sha256: str) -> bool:
        return is_sha256(sha256) and _is_blob(_stat_of(self.final_path(sha256)))

    def durable(self, sha256: str) -> bool:
        """Stored; what a crash left (a complete partial, a marked file) is settled if it may be.

        It may be if nobody holds the hash's lock: a request that holds it is writing.
        """
        if not is_sha256(sha256):
            return False
        info = _stat_of(self.final_path(sha256))
        if _is_blob(info):
            return True
        complete = [(p, n) for p, n in self._partials(sha256) if _size(p) == n]
        if complete or _is_marked(info):
            release = self.locks.shared.try_acquire(sha256)
            if release is not None:
                try:
                    self._settle_in_place(sha256)
                    for partial, _ in complete:
                        self._settle(sha256, partial)
                finally:
                    release()
        return self.has(sha256)

    def state(self, sha256: str, *, stored: bool = True) -> UploadState | None:
        if not is_sha256(sha256):
            return None
        if stored:
            size = self._stored_size(sha256)
            if size is not None:
                return UploadState(size, size)
        for partial, length in self._partials(sha256):
            try:
                info = partial.stat()
            except FileNotFoundError:
                continue  # completed (or discarded) since
            if info.st_size >= length:
                continue  # complete, not yet checked: not visible
            if not self._expired(info.st_mtime):
                return UploadState(info.st_size, length)
            self._discard_if_free(sha256, partial)
        if stored:
            size = self._stored_size(sha256)  # completed since the first look
            if size is not None:
                return UploadState(size, size)
        return None

    def unchecked(self, sha256: str) -> bool:
        """A marked file is in the blob's place: being received, or left by a crash."""
        return is_sha256(sha256) and _is_marked(_stat_of(self.final_path(sha256)))

    def settle(self, sha256: str) -> None:
        self._settle_in_place(sha256)

    def _stored_size(self, sha256: str) -> int | None:
        info = _stat_of(self.final_path(sha256))
        return info.st_size if info is not None and _is_blob(info) else None

    def _discard_if_free(self, sha256: str, partial: Path) -> None:
        """Delete an expired upload now, unless a request holds its lock (it is writing)."""
        release = self.locks.shared.try_acquire(sha256)
        if release is not None:
            try:
                mtime = _mtime(partial)
                if mtime is not None and self._expired(mtime):
                    partial.unlink(missing_ok=True)
            finally:
                release()

    def response(self, sha256: str) -> Response:
        return FileResponse(
            self.final_path(sha256),
            media_type="application/pdf",
            headers={"Cache-Control": "no-store"},
        )

    # Writing (with the hash's lock held) ----------------------------------------

    def create(
        self, sha256: str, length: int, *, empty: bool = True, stored: bool = True
    ) -> UploadState:
        if stored and self.has(sha256):
            return UploadState(length, length)
        self.sweep_now_and_then()
        self._settle_in_place(sha256)
        under_way = None
        for partial, declared in self._partials(sha256):
            try:
                info = partial.stat()
            except FileNotFoundError:
                continue
            fresh = declared == length and not self._expired(info.st_mtime)
            if info.st_size == declared:
                self._settle(sha256, partial)  # a crash between check and rename
            elif fresh and (info.st_size or empty):  # bytes, or created without them again
                under_way = UploadState(info.st_size, length)
            else:  # another length, expired, or empty with the bytes to follow: start afresh
                partial.unlink(missing_ok=True)
        if stored and self.has(sha256):
            return UploadState(length, length)
        if under_way is not None:
            return under_way
        if empty:
            self._made(self._upload_dir(sha256))
            self._partial(sha256, length).touch()
        return UploadState(0, length)

    async def receive(
        self,
        sha256: str,
        length: int,
        offset: int,
        body: AsyncIterator[bytes],
        *,
        creating: bool = False,
        verified: Verified | None = None,
    ) -> UploadState:
        if creating and not offset and 0 < length <= IN_PLACE_BYTES and self._in_place:
            state = await self._receive_in_place(sha256, length, body, verified)
            if state is not None:
                return state
        partial = self._partial(sha256, length)
        if creating:
            self._made(partial.parent)
        flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT if creating else 0)
        try:
            fd = os.open(partial, flags, 0o644)
        except FileNotFoundError:
            raise self.no_upload() from None
        try:
            current = os.fstat(fd).st_size
            if offset != current:
                raise offset_mismatch(current, offset)
            cut = False
            with open(fd, "ab", closefd=False) as handle:
                try:
                    async for chunk in body:
                        if current + len(chunk) > length:
                            raise too_long(current)
                        handle.write(chunk)
                        current += len(chunk)
                except ClientDisconnect:
                    cut = True  # no answer goes out: what reached the file counts
            if current < length:
                if not cut:
                    fd, handed = -1, fd  # the thread closes it
                    await off_loop(_sync_and_close, handed)  # the offset answered is durable
                return UploadState(current, length)
            fd, handed = -1, fd
            placing = (sha256, partial, length, handed, verified)
            if not await off_loop(self._check_and_place, *placing):
                raise checksum_mismatch()
            return UploadState(length, length)
        finally:
            if fd >= 0:
                os.close(fd)

    async def _receive_in_place(
        self, sha256: str, length: int, body: AsyncIterator[bytes], verified: Verified | None
    ) -> UploadState | None:
        """A new upload written straight into its place, marked; None if the place is taken.

        Taken by a stored blob (another unit proving it has the bytes) or by a
        marked file that ``create`` could not settle: the partial file then
        serves. None too, before any byte is read, on a filesystem that does not
        keep the mark, which this store then stops trying.
        """
        final = self.final_path(sha256)
        self._made(final.parent)
        try:
            fd = _create_marked(final)
        except FileExistsError:
            return None
        current = 0
        cut = False
        try:
            if not os.fstat(fd).st_mode & UNCHECKED:
                self._in_place = False
                raise _Unmarked
            # A small one is hashed here as it arrives; a bigger one beside its flush.
            hasher = hashlib.sha256() if length <= INLINE_HASH_BYTES else None
            with open(fd, "ab", closefd=False) as handle:
                try:
                    async for chunk in body:
                        if current + len(chunk) > length:
                            raise too_long(0)
                        handle.write(chunk)
                        if hasher is not None:
                            hasher.update(chunk)
                        current += len(chunk)
                except ClientDisconnect:
                    cut = True  # no answer goes out: what arrived counts, as a partial file
        except BaseException as exc:
            os.close(fd)
            final.unlink(missing_ok=True)  # never a blob, never acknowledged
            if isinstance(exc, _Unmarked):
                return None
            raise
        if current < length:
            await off_loop(self._keep_as_partial, sha256, length, fd, not cut)
            return UploadState(current, length)
        placing = (sha256, final, length, fd, verified)
        digest = hasher.hexdigest() if hasher is not None else None
        if not await off_loop(self._check_and_place, *placing, True, digest):
            raise checksum_mismatch()
        return UploadState(length, length)

    def _keep_as_partial(self, sha256: str, length: int, fd: int, durable: bool) -> None:
        """The first bytes of an upload written in place, moved to its partial file; closes fd.

        ``create`` let the request write only if no partial file had bytes, so
        an empty one (a creation without a body) is all this may replace.
        """
        try:
            _clear_mark(fd)
            partial = self._partial(sha256, length)
            self._made(partial.parent)
            os.replace(self.final_path(sha256), partial)
            if durable:  # acknowledged: the offset and the file's new name survive a power cut
                _sync_data(fd)
                sync_directory(partial.parent)
        finally:
            os.close(fd)

    def _check_and_place(
        self,
        sha256: str,
        received: Path,
        length: int,
        fd: int,
        verified: Verified | None,
        in_place: bool = False,
        digest: str | None = None,
    ) -> bool:
        """A complete upload: in place if its bytes are the blob; False (and deleted) if not.

        Closes ``fd``, which the request handed over: the thread owns it (as
        in ``_sync_and_close``). ``received`` is the partial file, renamed
        into place once checked, or (``in_place``) the marked file in the
        blob's place, unmarked once checked and synced with its directory.

        The file is hashed (read back from the page cache, in another thread)
        while this one waits for the disk to take it (``fdatasync``); one of
        up to ``INLINE_HASH_BYTES`` is hashed first, in this thread, unless
        the request hashed it as it arrived (``digest``). Hashed a piece at a
        time as the pieces arrived, a bigger one held the event loop for about
        half a millisecond per megabyte on every upload's path, and the disk's
        wait came after it rather than beside it. ``verified``'s note is sent
        as soon as the hash matches, so the database's commit runs beside the
        same ``fdatasync`` (sent after it, the note and its wait cost a loaded
        server about 0.4 ms per upload). Nothing is visible until the hash has
        matched and the bytes are on disk: the rename comes after both, and
        the note's commit is collected last.
        """
        checked: Future[tuple[bool, Callable[[], None] | None]]
        if digest is None and length > INLINE_HASH_BYTES:
            checked = _HASHING.submit(_hash_then_note, received, sha256, verified)
        else:
            checked = Future()
            try:
                found = digest if digest is not None else _file_sha256(received)
                checked.set_result(_note_if(found == sha256, verified))
            except Exception as exc:
                checked.set_exception(exc)
        try:
            try:
                _sync_data(fd)
            except BaseException:
                _collect(checked)
                if in_place:  # not acknowledged, and no partial file: the counter sends it again
                    received.unlink(missing_ok=True)
                raise
            matches, noted = checked.result()
            try:
                if not matches:
                    received.unlink(missing_ok=True)
                    return False
                if in_place:
                    sync_directory(received.parent)
                    _clear_mark(fd)  # a blob from here on; on disk with the inode's next write
                else:
                    self._rename_into_place(sha256, received)
                return True
            finally:
                if noted is not None:
                    noted()
        finally:
            os.close(fd)

    def _place(self, sha256: str, partial: Path, fd: int) -> None:
        """fdatasync a verified blob, rename it into place, and sync that directory."""
        _sync_data(fd)
        self._rename_into_place(sha256, partial)

    def _rename_into_place(self, sha256: str, partial: Path) -> None:
        """Rename a verified, synced blob into place and sync that directory."""
        final = self.final_path(sha256)
        self._made(final.parent)
        os.replace(partial, final)
        sync_directory(final.parent)

    def _settle_in_place(self, sha256: str) -> None:
        """A marked file in the blob's place, nobody writing it: the blob, or deleted.

        Left by a process that died as it received it (deleted: its bytes are
        not all there), or by a power cut that came after its answer but before
        its cleared mark reached the disk (the blob, unmarked durably here).
        """
        final = self.final_path(sha256)
        if _is_marked(_stat_of(final)):
            self._settle(sha256, final, in_place=True)

    def _settle(self, sha256: str, found: Path, *, in_place: bool = False) -> None:
        """A complete partial file (or a marked file in place): the blob if its bytes are.

        Deleted if they are not: the counter sends it again.
        """
        try:
            matches = hash_file(found).hexdigest() == sha256
        except FileNotFoundError:
            return
        if not matches:
            found.unlink(missing_ok=True)
            return
        fd = os.open(found, os.O_RDONLY)
        try:
            if in_place:
                _sync_data(fd)
                sync_directory(found.parent)
                _clear_mark(fd)
                os.fsync(fd)  # the cleared mark too: rare, so it may cost a flush
            else:
                self._place(sha256, found, fd)
        finally:
            os.close(fd)

    def expire(self, sha256: str) -> None:
        for partial, _ in self._partials(sha256):
            mtime = _mtime(partial)
            if mtime is not None and self._expired(mtime):
                partial.unlink(missing_ok=True)

    def sweep(self) -> list[str]:
        """Also settles complete partial files a crash left behind."""
        expired = []
        for entry in os.scandir(self.uploads):
            if not entry.is_dir(follow_symlinks=False) or len(entry.name) != 2:
                continue
            for name in os.listdir(entry.path):
                sha256 = name.partition("-")[0]
                if not name.endswith(PART_SUFFIX) or not is_sha256(sha256):
                    continue
                partial = Path(entry.path) / name
                mtime = _mtime(partial)
                declared = name[len(sha256) + 1 : -len(PART_SUFFIX)]
                complete = declared.isdigit() and _size(partial) == int(declared)
                if mtime is None or not (complete or self._expired(mtime)):
                    continue
                release = self.locks.shared.try_acquire(sha256)
                if release is None:
                    continue  # being written to
                try:
                    if complete:
                        self._settle(sha256, partial)
                    elif (mtime := _mtime(partial)) is not None and self._expired(mtime):
                        partial.unlink(missing_ok=True)
                        expired.append(sha256)
                finally:
                    release()
        return expired


class _Unmarked(Exception):
    """The filesystem created a file without the ``UNCHECKED`` mark."""


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return None
