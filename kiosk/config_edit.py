"""Editing the device's configuration file from the staff page. No Qt here.

The staff page may change five keys of the TOML file the app was started with (`EDITABLE`):
the mode, the dong, the panel size, the server URL and the board's dark hours. Everything else
in the file (keys, comments, order) is kept as it was: the file is edited with tomlkit, not
written anew. The edited file must still load as a `KioskConfig`; a value that does not is
refused with a message naming its key, and the file is not touched. The file is replaced
atomically (a temporary file in the same folder, fsync, os.replace), so a power cut leaves
the old file or the new one, never half of one.

A device started without --config reads `kiosk.paths.default_config_file()`; saving then
writes that file (created when missing), so the next start reads it too.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomlkit
from pydantic import ValidationError
from tomlkit.exceptions import TOMLKitError
from tomlkit.toml_document import TOMLDocument

from contract.content import TimeWindow
from kiosk.config import KioskConfig

EDITABLE = ("mode", "dong", "panel_diagonal_inches", "server_url", "screen_off")
MODES = ("kiosk", "board")
# Common panel diagonals of kiosk and signage displays, in inches.
PANEL_SIZES: tuple[float, ...] = (21.5, 24.0, 27.0, 32.0, 43.0, 49.0, 55.0, 65.0)
# Dark hours a board may be given on the page (Korean time); none is also a choice.
SCREEN_OFF_CHOICES: tuple[tuple[TimeWindow, ...], ...] = (
    (),
    (TimeWindow(start="22:00", end="06:00"),),
    (TimeWindow(start="21:00", end="07:00"),),
    (TimeWindow(start="00:00", end="06:00"),),
)


class EditError(Exception):
    """An edit refused: `key` names the configuration key, `detail` says what is wrong."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(f"{key}: {detail}")
        self.key = key
        self.detail = detail


@dataclass(frozen=True)
class Values:
    """The editable keys' values, as the app reads them."""

    mode: str
    dong: str | None
    panel_diagonal_inches: float
    server_url: str | None
    screen_off: tuple[TimeWindow, ...]

    @classmethod
    def of(cls, config: KioskConfig) -> Values:
        return cls(**{key: getattr(config, key) for key in EDITABLE})


def read_document(path: Path) -> TOMLDocument:
    """The file as an editable document; an empty one when the file does not exist yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return tomlkit.document()
    except OSError as e:
        raise EditError("file", f"cannot read {path.name}: {e.strerror or e}") from e
    try:
        return tomlkit.parse(text)
    except TOMLKitError as e:
        raise EditError("file", f"{path.name} is not valid TOML: {e}") from e


def validate(document: TOMLDocument) -> KioskConfig:
    """The configuration `document` describes; EditError naming the first bad key otherwise."""
    try:
        return KioskConfig.model_validate(document.unwrap())
    except ValidationError as e:
        first = e.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "file"
        raise EditError(key, first["msg"]) from e


def check_server_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EditError("server_url", "must look like https://host (http or https)")
    if any(c.isspace() for c in url):
        raise EditError("server_url", "must not contain spaces")


def apply_edits(
    document: TOMLDocument,
    edits: Mapping[str, Any],
    *,
    dong_ids: Collection[str] | None = None,
) -> TOMLDocument:
    """A copy of `document` with `edits` applied; None (or "" for the URL) removes the key.

    Raises EditError for a key that may not be edited here, a dong not in `dong_ids` (when
    given), a server URL that is not http(s), or a result `KioskConfig` refuses.
    """
    edited = tomlkit.parse(document.as_string())
    for key, value in edits.items():
        if key not in EDITABLE:
            raise EditError(key, "cannot be changed from the staff page")
        if key == "server_url" and isinstance(value, str):
            value = value.strip() or None
            if value is not None:
                check_server_url(value)
        if key == "dong" and value is not None and dong_ids is not None and value not in dong_ids:
            raise EditError("dong", f"{value!r} is not a dong of the content pack")
        if key == "mode" and value not in MODES:
            raise EditError("mode", f"must be one of {', '.join(MODES)}")
        if value is None:
            if key in edited:
                del edited[key]
            continue
        edited[key] = _toml_value(key, value)
    validate(edited)
    return edited


def _toml_value(key: str, value: Any) -> Any:
    if key == "screen_off":
        windows = tomlkit.array()
        for window in value:
            table = tomlkit.inline_table()
            data = window.model_dump() if isinstance(window, TimeWindow) else dict(window)
            table.update({"start": data["start"], "end": data["end"]})
            windows.append(table)
        return windows
    if key == "panel_diagonal_inches":
        return float(value)
    return value


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text`: a temporary file in the same folder, fsync, os.replace.

    An existing file's permissions are kept. On any failure the old file is left as it was.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # the rename itself survives a power cut (POSIX)
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def save_config(
    path: Path, edits: Mapping[str, Any], *, dong_ids: Collection[str] | None = None
) -> KioskConfig:
    """Apply `edits` to the file at `path` (created when missing) and write it back.

    Returns the configuration the file now holds. Raises EditError, with nothing written,
    when an edit is refused or the file cannot be read or written.
    """
    edited = apply_edits(read_document(path), edits, dong_ids=dong_ids)
    try:
        write_atomically(path, edited.as_string())
    except OSError as e:
        raise EditError("file", f"cannot write {path}: {e.strerror or e}") from e
    return validate(edited)


@dataclass
class SettingsDraft:
    """The staff page's changes before 저장: the file, its values when opened, and the edits.

    Attributes:
        path: the configuration file to write.
        before: the values the file held when the page opened.
        edits: key -> new value, only for keys whose value differs from `before`.
        dong_ids: the content pack's dongs, in its order.
    """

    path: Path
    before: Values
    dong_ids: tuple[str, ...] = ()
    edits: dict[str, Any] = field(default_factory=dict)
    saved: KioskConfig | None = None

    @classmethod
    def open(cls, path: Path, dong_ids: Collection[str] = ()) -> SettingsDraft:
        """Read `path` as it is now (defaults when it does not exist)."""
        return cls(path, Values.of(validate(read_document(path))), tuple(dong_ids))

    def value(self, key: str) -> Any:
        """The value `key` will have: the edit, or what the file holds."""
        return self.edits[key] if key in self.edits else getattr(self.before, key)

    def set(self, key: str, value: Any) -> None:
        if key == "server_url" and isinstance(value, str):
            value = value.strip() or None
        if key == "panel_diagonal_inches":
            value = float(value)
        if value == getattr(self.before, key):
            self.edits.pop(key, None)
        else:
            self.edits[key] = value

    def panel_choices(self) -> tuple[float, ...]:
        """The common sizes plus the file's own value, smallest first."""
        return tuple(sorted({*PANEL_SIZES, self.before.panel_diagonal_inches}))

    def screen_off_choices(self) -> tuple[tuple[TimeWindow, ...], ...]:
        """The usual dark hours plus the file's own, when it is none of them."""
        own = self.before.screen_off
        return SCREEN_OFF_CHOICES if own in SCREEN_OFF_CHOICES else (*SCREEN_OFF_CHOICES, own)

    def save(self) -> KioskConfig:
        self.saved = save_config(
            self.path, self.edits, dong_ids=self.dong_ids if self.dong_ids else None
        )
        return self.saved
