"""Reading Cricsheet match files from a zip, a folder, one JSON file or an upload, safely and in memory.

A zip is checked before anything is decompressed: member count and declared size against limits, and
no member may have an absolute or ``..`` path. Members are then read into memory (never extracted to
disk) while counting the bytes that really come out, since a zip's directory can lie about sizes.

Parsing JSON can cost far more memory than the file's size (a file of empty lists, ``[],[],...``, takes about
25 times its size as Python lists), so every match file is also bounded on its own, before it is parsed: one
over `MAX_MATCH_BYTES` (by the zip's header, the folder's listing, or the bytes that really come out) is
skipped by name, unparsed, as a malformed file is.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, NamedTuple

from lib.data.modelfiles import REFUSAL, describe_model_archive, describe_model_file
from lib.data.units import byte_size

MAX_ARCHIVE_BYTES = 2 * 1024**3
"""Default limit on the total uncompressed size of a source: 2 GiB (Cricsheet's all-T20 zip is ~1 GiB)."""
MAX_ARCHIVE_FILES = 50_000
"""Default limit on the number of members of a zip or files of a folder."""
MAX_MATCH_BYTES = 2 * 1024**2
"""Default limit on one match file: 2 MiB. The largest of the 1,090 IPL matches of ipl_json.zip is 85 KB, so real
T20 files pass with a wide margin, and parsing the worst file under it costs about 50 MB."""

_CHUNK = 1 << 20
_ZIP_MAGIC = b"PK"
_IGNORED_FOLDERS = ("__MACOSX/",)
"""Resource-fork folders that macOS adds to zips; their ``._x.json`` members are not matches."""


class CricsheetError(ValueError):
    """A source that cannot be imported: not a zip, over a safety limit, unsafe paths, or no usable match."""


class MatchFile(NamedTuple):
    """One JSON file of a source.

    Attributes:
        name: file name without folders, e.g. "1082648.json".
        data: raw content; empty when `problem` is set.
        problem: why the file could not be read (a corrupt or encrypted zip member); "" when it could.
    """

    name: str
    data: bytes
    problem: str = ""


@dataclass(frozen=True)
class Limits:
    """Safety limits on a source.

    Attributes:
        max_bytes: most uncompressed bytes the whole source may hold, declared or actual.
        max_files: most members (zip) or files (folder) the source may hold.
        max_match_bytes: most bytes one match file may hold; a larger one is skipped by name, unparsed.
    """

    max_bytes: int = MAX_ARCHIVE_BYTES
    max_files: int = MAX_ARCHIVE_FILES
    max_match_bytes: int = MAX_MATCH_BYTES


def source_name(source, name: str | None) -> str:
    """The name used in messages: `name`, else a path's name or an upload's name."""
    if name:
        return name
    if isinstance(source, (str, Path)):
        return Path(source).name or str(source)
    return getattr(source, "name", None) or "the upload"


def read_match_files(source, name: str, limits: Limits = Limits()) -> Iterator[MatchFile]:
    """The JSON match files of a source, in the source's order.

    Args:
        source: path to a .zip, a folder of .json files or one .json file; or bytes / a binary file
            object holding a zip or one JSON match (a Streamlit upload).
        name: the source's name for messages.
        limits: safety limits on size and file count.

    Returns:
        An iterator of MatchFile, one per ``*.json`` member; other members (README.txt) are skipped. A file
        over `limits.max_match_bytes` comes with its `problem` set and no data.

    Raises:
        CricsheetError: the source does not exist, is neither a zip nor JSON, breaks a limit or has an
            unsafe member path. Checks that need no decompression happen before this returns; a
            member that decompresses past the size limit raises while iterating.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            return _read_folder(path, limits)
        if not path.is_file():
            raise CricsheetError(
                f"{path} does not exist. Give a Cricsheet .zip, a folder of .json files or a .json file."
            )
        with path.open("rb") as stream:
            if stream.read(len(_ZIP_MAGIC)) == _ZIP_MAGIC:
                return _read_zip(path, name, limits)
        with path.open("rb") as stream:
            return _read_single(path.name, stream.read(limits.max_match_bytes + 1), name, limits)
    data = _read_capped(io.BytesIO(bytes(source)) if _is_buffer(source) else source, name, limits)
    if data.startswith(_ZIP_MAGIC):
        return _read_zip(io.BytesIO(data), name, limits)
    return _read_single(name if name.lower().endswith(".json") else "match.json", data, name, limits)


def _is_buffer(source) -> bool:
    return isinstance(source, (bytes, bytearray, memoryview))


def _read_capped(stream: BinaryIO, name: str, limits: Limits) -> bytes:
    """Read a stream from its current position, refusing it past the size limit; the caller closes it."""
    data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise CricsheetError(f"{name} is larger than the limit of {byte_size(limits.max_bytes)}; refusing to read it.")
    return data


def _read_single(file_name: str, data: bytes, name: str, limits: Limits) -> Iterator[MatchFile]:
    model = describe_model_file(data)
    if model:
        raise CricsheetError(f"{name} is {model}, not a Cricsheet match. {REFUSAL}")
    if not data.lstrip()[:1] == b"{":
        raise CricsheetError(
            f"{name} is neither a zip archive nor a JSON match (it starts with {data[:8]!r}). Upload the zip "
            "that Cricsheet distributes (e.g. ipl_json.zip) or one match's .json file."
        )
    if len(data) > limits.max_match_bytes:
        return iter([_too_large(Path(file_name).name, len(data), limits)])
    return iter([MatchFile(Path(file_name).name, data)])


def _too_large(file_name: str, size: int, limits: Limits, exact: bool = False) -> MatchFile:
    """A match file skipped unparsed because it holds more than one match file may; `size` is what was seen (the
    header's size, or the bytes read before stopping) and `exact` says whether it is the whole file's."""
    limit = byte_size(limits.max_match_bytes)
    held = f"holds {byte_size(size)}, over the limit of {limit}" if exact else f"holds more than the limit of {limit}"
    return MatchFile(file_name, b"", f"{held} for one match file (a T20 match file is under 100 KB); skipped "
                                     "without parsing it")


def _read_folder(path: Path, limits: Limits) -> Iterator[MatchFile]:
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".json")
    if len(files) > limits.max_files:
        raise CricsheetError(f"{path} holds {len(files):,} .json files, over the limit of {limits.max_files:,}.")
    declared = sum(p.stat().st_size for p in files)
    if declared > limits.max_bytes:
        raise CricsheetError(
            f"{path}: its .json files hold {byte_size(declared)}, over the limit of {byte_size(limits.max_bytes)}."
        )
    return (_read_folder_file(p, limits) for p in files)


def _read_folder_file(path: Path, limits: Limits) -> MatchFile:
    """One file of a folder, refused by its size before it is read and read no further than the limit (it may
    have grown since it was listed)."""
    size = path.stat().st_size
    if size > limits.max_match_bytes:
        return _too_large(path.name, size, limits, exact=True)
    with path.open("rb") as stream:
        data = stream.read(limits.max_match_bytes + 1)
    if len(data) > limits.max_match_bytes:
        return _too_large(path.name, len(data), limits)
    return MatchFile(path.name, data)


def _read_zip(file, name: str, limits: Limits) -> Iterator[MatchFile]:
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as error:
        raise CricsheetError(
            f"{name} is not a readable zip archive ({error}). Download the zip from cricsheet.org again."
        ) from None
    members = archive.infolist()
    model = describe_model_archive([m.filename for m in members])
    if model:
        raise CricsheetError(f"{name} is {model}, not Cricsheet matches. {REFUSAL}")
    _check_directory(members, name, limits)
    return _zip_members(archive, members, name, limits)


def _check_directory(members: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    """Refuse an archive on what its central directory says, before decompressing anything."""
    if len(members) > limits.max_files:
        raise CricsheetError(
            f"{name} holds {len(members):,} members, over the limit of {limits.max_files:,} files; "
            "refusing it as a possible zip bomb."
        )
    declared = sum(m.file_size for m in members)
    if declared > limits.max_bytes:
        raise CricsheetError(
            f"{name} declares {byte_size(declared)} uncompressed, over the limit of {byte_size(limits.max_bytes)}; "
            "refusing it as a possible zip bomb."
        )
    for member in members:
        if _unsafe_path(member.filename):
            raise CricsheetError(
                f"{name} has a member with an unsafe path, {member.filename!r} (absolute or with '..'); "
                "a Cricsheet zip holds plain file names. Refusing the archive."
            )


def _unsafe_path(member: str) -> bool:
    text = member.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return True
    return ".." in PurePosixPath(text).parts


def _zip_members(archive: zipfile.ZipFile, members, name: str, limits: Limits) -> Iterator[MatchFile]:
    budget = limits.max_bytes
    with archive:
        for member in members:
            if member.is_dir() or not member.filename.lower().endswith(".json"):
                continue
            if member.filename.startswith(_IGNORED_FOLDERS):
                continue
            file_name = PurePosixPath(member.filename).name
            if member.file_size > limits.max_match_bytes:
                yield _too_large(file_name, member.file_size, limits, exact=True)
                continue
            try:
                data = _read_member(archive, member, budget, name, limits)
            except (zipfile.BadZipFile, zlib.error, RuntimeError, EOFError, NotImplementedError) as error:
                # One damaged or encrypted member should not sink the other matches.
                yield MatchFile(file_name, b"", f"cannot be read from the archive ({error})")
                continue
            budget -= len(data)
            # The header said it was small enough; what came out says otherwise.
            yield _too_large(file_name, len(data), limits) if len(data) > limits.max_match_bytes else MatchFile(
                file_name, data)


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int, name: str, limits: Limits) -> bytes:
    """A member's bytes, stopping one byte past the limit for one match file (the caller skips it then), and
    refusing the archive as soon as its actual output passes the limit for the whole archive."""
    chunks, size = [], 0
    stop = min(limits.max_match_bytes, budget) + 1
    with archive.open(member) as stream:
        while size < stop and (chunk := stream.read(min(_CHUNK, stop - size))):
            chunks.append(chunk)
            size += len(chunk)
    if size > budget:
        raise CricsheetError(
            f"{name}: {member.filename} decompresses past the limit of {byte_size(limits.max_bytes)} for "
            "the whole archive; refusing it as a possible zip bomb."
        )
    return b"".join(chunks)

