"""Makes the built one-folder app smaller after PyInstaller collected it (ontong-kiosk.spec calls
`slim_folder` on dist/ontong-kiosk; Linux only):

1. Binaries that still carry a symbol table are stripped (`strip --strip-unneeded`). Those
   already stripped are left alone: stripping the FFmpeg libraries PySide6 ships a second time
   leaves segments that are not page-aligned and the media plugin then fails to load them.
2. Qt's ICU data library (libicudata, 32 MB) is rebuilt with the data the app can reach: the
   locales of its two languages (Korean, English) and the root locale, without the word-break
   dictionaries (Chinese/Japanese, Thai, Lao, Khmer, Burmese) and transliteration, which Qt
   never uses. ICU falls back to the root locale for any other locale asked for.

The ICU data is ICU's "common data" package: a header, a table of contents (item names and
offsets, sorted by name) and the items. The rebuilt library exports the same symbol
(`icudt73_dat`) and soname; it is assembled with binutils' `as` and `ld`, which PyInstaller
needs on Linux anyway.
"""

from __future__ import annotations

import re
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The app's languages (kiosk.i18n.LANGUAGES); "root" is every locale's last fallback.
ICU_LANGUAGES = frozenset({"ko", "en"})
# ICU trees whose .res files are one per locale (a file at the top is a locale too).
_LOCALE_TREES = frozenset({"", "brkitr", "coll", "curr", "lang", "rbnf", "region", "unit", "zone"})
# Files in those trees that are not a locale.
_SHARED = frozenset({"pool", "res_index"})
_LOCALE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]+)*")
_ALIGN = 16  # ICU's packager starts every item on 16 bytes; the swapper and loaders expect it

_SHT_SYMTAB = 2
_SHT_DYNSYM = 11


class SlimError(Exception):
    pass


@dataclass(frozen=True)
class IcuData:
    """An ICU common data package: its header bytes and its items (name, bytes) in TOC order."""

    header: bytes
    items: list[tuple[str, bytes]]

    @classmethod
    def parse(cls, data: bytes) -> IcuData:
        header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
        if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD":
            raise SlimError("not ICU common data (no CmnD header)")
        toc = data[header_size:]
        (count,) = struct.unpack_from("<I", toc, 0)
        entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
        ends = [offset for _name, offset in entries[1:]] + [len(toc)]
        items = []
        for (name_offset, offset), end in zip(entries, ends, strict=True):
            name = toc[name_offset : toc.index(b"\0", name_offset)].decode("ascii")
            items.append((name, toc[offset:end]))
        return cls(data[:header_size], items)

    def pack(self) -> bytes:
        names = b"".join(name.encode("ascii") + b"\0" for name, _ in self.items)
        names_at = 4 + 8 * len(self.items)
        offset = _aligned(names_at + len(names))
        toc, body, name_offset = [struct.pack("<I", len(self.items))], [], names_at
        for name, item in self.items:
            toc.append(struct.pack("<II", name_offset, offset))
            name_offset += len(name) + 1
            padded = item + b"\0" * (_aligned(len(item)) - len(item))
            body.append(padded)
            offset += len(padded)
        head = b"".join(toc) + names
        # ICU's packager fills the gap before the first item with 0xAA.
        return self.header + head + b"\xaa" * (_aligned(len(head)) - len(head)) + b"".join(body)

    def kept(self) -> IcuData:
        return IcuData(self.header, [(n, b) for n, b in self.items if icu_item_kept(n)])


def _aligned(n: int) -> int:
    return -(-n // _ALIGN) * _ALIGN


def icu_item_kept(name: str) -> bool:
    """Whether the ICU data item `name` ("icudt73l/coll/ko.res") stays in the bundle."""
    path = name.split("/", 1)[1] if "/" in name else name
    tree, _, file = path.rpartition("/")
    stem, _, kind = file.rpartition(".")
    if kind == "dict" or tree == "translit":
        return False
    if kind != "res" or tree not in _LOCALE_TREES or stem in _SHARED:
        return True
    if stem == "root" or not _LOCALE.fullmatch(stem):
        return True  # root, or shared data at the top (supplementalData, zoneinfo64, ...)
    return stem.split("_")[0] in ICU_LANGUAGES


@dataclass(frozen=True)
class _Section:
    kind: int
    addr: int
    offset: int
    size: int
    link: int


def _sections(elf: bytes) -> list[_Section]:
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise SlimError("not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", elf, 0x28)
    entsize, count = struct.unpack_from("<HH", elf, 0x3A)
    sections = []
    for i in range(count):
        _name, kind, _flags, addr, offset, size, link = struct.unpack_from(
            "<IIQQQQI", elf, shoff + i * entsize
        )
        sections.append(_Section(kind, addr, offset, size, link))
    return sections


def has_symbol_table(path: Path) -> bool:
    """Whether the ELF file at `path` still has a (non-dynamic) symbol table: not stripped."""
    return any(s.kind == _SHT_SYMTAB for s in _sections(path.read_bytes()))


def exported_data(elf: bytes, pattern: str) -> tuple[str, bytes]:
    """The name and bytes of the one dynamic symbol whose name matches `pattern`."""
    sections = _sections(elf)
    found = []
    for dynsym in (s for s in sections if s.kind == _SHT_DYNSYM):
        strings = sections[dynsym.link]
        for at in range(dynsym.offset, dynsym.offset + dynsym.size, 24):
            name_at, _info, _other, index, value, size = struct.unpack_from("<IBBHQQ", elf, at)
            start = strings.offset + name_at
            name = elf[start : elf.index(b"\0", start)].decode("ascii")
            if re.fullmatch(pattern, name) and 0 < index < len(sections):
                home = sections[index]
                begin = home.offset + value - home.addr
                found.append((name, elf[begin : begin + size]))
    if len(found) != 1:
        raise SlimError(f"expected one symbol {pattern}, found {len(found)}")
    return found[0]


def rebuild_icu_library(library: Path) -> tuple[int, int]:
    """Rewrite Qt's libicudata.so.NN in place with the kept items only; (bytes before, after).
    A library already rebuilt is left as it is."""
    before = library.stat().st_size
    symbol, data = exported_data(library.read_bytes(), r"icudt\d+_dat")
    icu = IcuData.parse(data)
    kept = icu.kept()
    if len(kept.items) == len(icu.items):
        return before, before
    with tempfile.TemporaryDirectory(prefix="ontong-icu-") as tmp:
        work = Path(tmp)
        (work / "icu.dat").write_bytes(kept.pack())
        # The data as one read-only, exported object; no executable stack.
        (work / "icu.s").write_text(
            f'\t.section .rodata,"a"\n\t.balign {_ALIGN}\n\t.globl {symbol}\n'
            f"\t.type {symbol}, @object\n{symbol}:\n"
            f'\t.incbin "{work / "icu.dat"}"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        _run(["as", "--64", "-o", str(work / "icu.o"), str(work / "icu.s")])
        out = work / library.name
        _run(["ld", "-shared", "-soname", library.name, "-o", str(out), str(work / "icu.o")])
        out.replace(library)
    return before, library.stat().st_size


def strip_binaries(folder: Path) -> tuple[int, int]:
    """Strip every ELF file under `folder` that still has a symbol table; (bytes before, after)."""
    before = after = 0
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
        if has_symbol_table(path):
            before += path.stat().st_size
            _run(["strip", "--strip-unneeded", str(path)])
            after += path.stat().st_size
    return before, after


def _run(cmd: list[str]) -> None:
    try:
        subprocess.run(cmd, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise SlimError(f"{cmd[0]} is missing: install binutils") from None
    except subprocess.CalledProcessError as e:
        raise SlimError(f"{' '.join(cmd)} failed: {e.stderr.strip()}") from None


def slim_folder(folder: Path) -> None:
    """Strip the binaries and trim the ICU data of the one-folder app at `folder`."""
    internal = folder / "_internal"
    for library in sorted(internal.rglob("libicudata.so.*")):
        if not library.is_symlink():
            was, now = rebuild_icu_library(library)
            print(f"ICU data: {was / 1e6:.1f} MB -> {now / 1e6:.1f} MB ({library.name})")
    was, now = strip_binaries(internal)
    print(f"Stripped binaries: {was / 1e6:.1f} MB -> {now / 1e6:.1f} MB")
