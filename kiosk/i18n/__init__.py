"""The one catalogue of interface messages, by id, in Korean and English.

Widgets never hold Korean or English literals: they ask a `Translator` for a message id.
Each part of the app keeps its messages in a TOML file of this package (shell.toml,
survey.toml, …), which translators edit: one table a message, its id in quotes, then `ko`
and `en`; comments explain a message where its use is not plain. The files are read once and
merged here; an id may be defined only once, and a file that cannot be used stops the app with
its name and the id. Content texts (surveys, proposals…) come from the content pack in both
languages instead.

The first screen needs only a few of the files (`FIRST_PARTS`); reading all of them costs a
good part of a bare Qt window's start. So `CATALOGUE` reads those at import and the rest the
first time an id it does not hold yet is asked for, or when the app calls `complete()` right
after its first paint.
"""

from __future__ import annotations

import re
import string
import threading
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal

Language = Literal["ko", "en"]
LANGUAGES: tuple[Language, ...] = ("ko", "en")
_LANGUAGE_NAMES = {"ko": "Korean", "en": "English"}
Messages = dict[str, tuple[str, str]]  # id -> (Korean, English)

# The message files, without ".toml". Named here rather than globbed, so that a file missing
# from an installed copy or a bundle stops the start with its name instead of leaving ids out.
PARTS = (
    "shell",
    "keyboard",
    "sync",
    "survey",
    "board",
    "civic",
    "civic_screens",
    "points",
    "assist",
    "coach",
    "a11y",
    "lessons",
    "settings",
    "budget",
)
# The files home's first paint reads (its areas, the bars, their spoken descriptions): the
# others wait (module doc). tests/integration/test_startup_imports.py checks that home needs
# no other; a message it does need from another file still shows, after reading them all.
FIRST_PARTS = ("shell", "a11y", "assist")
CATALOGUE_DIR = Path(__file__).resolve().parent


class CatalogueError(ValueError):
    """A message file cannot be used; the text names the file and, where there is one, the id."""


_HEADER = re.compile(r'^\[\s*"([^"]*)"\s*\]')


def _placeholders(text: str) -> set[str]:
    """The str.format names in text ({seconds} -> seconds); ValueError for a lone brace."""
    if "{" not in text and "}" not in text:
        return set()  # most messages: skip the parser, the catalogue is read at every start
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _near(text: str, error: str) -> str:
    """Where a TOML error is: the last id above the line it names ("" when there is none)."""
    at = re.search(r"at line (\d+)", error)
    lines = text.splitlines()[: int(at.group(1)) if at else 0]
    headers = [m for line in lines if (m := _HEADER.match(line))]
    return f", in message {headers[-1].group(1)!r}" if headers else ""


def read_part(path: Path) -> Messages:
    """The messages of one file, id -> (Korean, English), checked; else CatalogueError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CatalogueError(f"{path.name}: cannot read the messages: {e}") from e
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CatalogueError(f"{path.name}{_near(text, str(e))}: cannot read: {e}") from e
    messages: Messages = {}
    for message_id, entry in raw.items():
        where = f"{path.name}, message {message_id!r}"
        if not isinstance(entry, dict):
            raise CatalogueError(f'{where}: must be a table ["{message_id}"] with ko and en')
        if any(isinstance(v, dict) for v in entry.values()):
            raise CatalogueError(f'{where}: put the whole id in quotes, as in ["{message_id}.…"]')
        for language in LANGUAGES:
            words = entry.get(language)
            if not isinstance(words, str) or not words.strip():
                name = _LANGUAGE_NAMES[language]
                raise CatalogueError(f'{where}: no {name} text ({language} = "…")')
        unknown = sorted(entry.keys() - set(LANGUAGES))
        if unknown:
            raise CatalogueError(f"{where}: only ko and en are read, not {unknown}")
        ko, en = entry["ko"], entry["en"]
        try:
            names = {language: sorted(_placeholders(entry[language])) for language in LANGUAGES}
        except ValueError as e:  # a lone brace
            raise CatalogueError(f"{where}: {e}") from e
        if names["ko"] != names["en"]:
            raise CatalogueError(
                f"{where}: the words in braces differ: ko {names['ko']}, en {names['en']}"
            )
        messages[message_id] = (ko, en)
    return messages


def load(folder: Path = CATALOGUE_DIR, parts: tuple[str, ...] = PARTS) -> Messages:
    """Every part's messages merged; an id in two files is a CatalogueError naming both."""
    merged: Messages = {}
    _merge(merged, {}, folder, parts)
    return merged


def _merge(
    merged: Messages, defined_in: dict[str, str], folder: Path, parts: tuple[str, ...]
) -> None:
    for part in parts:
        path = folder / f"{part}.toml"
        for message_id, texts in read_part(path).items():
            if message_id in merged:
                raise CatalogueError(
                    f"message {message_id!r} is defined twice: in {defined_in[message_id]}"
                    f" and in {path.name}"
                )
            merged[message_id] = texts
            defined_in[message_id] = path.name


class Catalogue(Mapping[str, tuple[str, str]]):
    """Every part's messages, as `load` merges them, reading `first` at once and the other
    parts the first time an id not read yet is asked for (or at `complete`). Any thread may
    ask."""

    def __init__(
        self,
        folder: Path = CATALOGUE_DIR,
        parts: tuple[str, ...] = PARTS,
        first: tuple[str, ...] = (),
    ) -> None:
        self._folder = folder
        self._rest = tuple(part for part in parts if part not in first)
        self._messages: Messages = {}
        self._defined_in: dict[str, str] = {}
        self._lock = threading.Lock()
        _merge(self._messages, self._defined_in, folder, tuple(p for p in parts if p in first))

    @property
    def completed(self) -> bool:
        """True once every part is read."""
        return not self._rest

    def complete(self) -> None:
        """Read the parts not read yet (a CatalogueError as `load` raises it)."""
        with self._lock:
            if self._rest:
                # Into copies: a part that cannot be used leaves the catalogue as it was.
                messages, defined_in = dict(self._messages), dict(self._defined_in)
                _merge(messages, defined_in, self._folder, self._rest)
                self._messages, self._defined_in, self._rest = messages, defined_in, ()

    def __getitem__(self, message_id: str) -> tuple[str, str]:
        found = self._messages.get(message_id)
        if found is None:
            self.complete()
            found = self._messages[message_id]
        return found

    def __contains__(self, message_id: object) -> bool:
        if message_id not in self._messages:
            self.complete()
        return message_id in self._messages

    def __iter__(self) -> Iterator[str]:
        self.complete()
        return iter(self._messages)

    def __len__(self) -> int:
        self.complete()
        return len(self._messages)


# id -> (Korean, English). Placeholders use str.format names.
CATALOGUE = Catalogue(first=FIRST_PARTS)


class Translator:
    """Looks up message ids in the current language.

    Attributes:
        language: "ko" or "en"; the app switches it from the top bar.
    """

    def __init__(self, language: Language = "ko") -> None:
        self.language: Language = language

    def tr(self, message_id: str, **values: object) -> str:
        ko, en = CATALOGUE[message_id]
        text = en if self.language == "en" else ko
        return text.format(**values) if values else text
