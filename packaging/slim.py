"""Makes the built one-folder app smaller after PyInstaller collected it (ontong-kiosk.spec calls
`slim_folder` on dist/ontong-kiosk; Linux only):

1. Binaries that still carry a symbol table are stripped (`strip --strip-unneeded`). Those
   already stripped are left alone: stripping the FFmpeg libraries PySide6 ships a second time
   leaves segments that are not page-aligned and the media plugin then fails to load them.
2. Qt's ICU data library (libicudata, 32 MB) is rebuilt with the data the app can reach: the
   locales of its two languages (Korean, English) and the root locale, without the word-break
   dictionaries (Chinese/Japanese, Thai, Lao, Khmer, Burmese), transliteration, character names
   and the legacy code page tables, which Qt never uses (its own codecs read UTF-8, UTF-16/32
   and Latin-1; PySide6 has no way to call ICU's). ICU falls back to the root locale for any
   other locale asked for.
3. Qt Quick and QML (16 MB with the libraries they pull in) are replaced by stand-ins. Nothing
   in the app uses them: only the FFmpeg media plugin links them, for two symbols of
   QQuickWindow, to grab a Qt Quick window's picture when asked to capture a window (a
   qobject_cast, then grabWindow), which the app never does. The stand-in's QQuickWindow meta
   object is one no window has, so the cast answers "not a Qt Quick window". The build fails
   when the plugin (after a PySide6 upgrade) or anything else in the bundle names more of them.

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
_SHT_DYNAMIC = 6
_SHT_DYNSYM = 11
_DT_NEEDED = 1

# The Qt Quick and QML libraries the stand-ins replace, and the symbols the Quick one exports
# (mangled QQuickWindow::staticMetaObject and QQuickWindow::grabWindow(), kind for `as`).
QT_QUICK_STUBS = {
    "libQt6Quick.so.6": {
        "_ZN12QQuickWindow16staticMetaObjectE": "object",
        "_ZN12QQuickWindow10grabWindowEv": "function",
    },
    "libQt6Qml.so.6": {},
}
# The one binary allowed to link them, and how their symbols are recognised in it.
MEDIA_PLUGIN = "libffmpegmediaplugin.so"
_QT_QUICK_SYMBOL = re.compile(r"_Z.*(QQuick|QQml|QJS)")


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
    if kind in ("dict", "cnv") or tree == "translit" or file == "unames.icu":
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


def _dynamic_symbols(elf: bytes) -> list[tuple[str, int, int, int]]:
    """(name, section index, value, size) of every dynamic symbol; index 0 is undefined."""
    sections = _sections(elf)
    symbols = []
    for dynsym in (s for s in sections if s.kind == _SHT_DYNSYM):
        strings = sections[dynsym.link]
        for at in range(dynsym.offset, dynsym.offset + dynsym.size, 24):
            name_at, _info, _other, index, value, size = struct.unpack_from("<IBBHQQ", elf, at)
            start = strings.offset + name_at
            name = elf[start : elf.index(b"\0", start)].decode("ascii")
            symbols.append((name, index, value, size))
    return symbols


def needed_libraries(elf: bytes) -> list[str]:
    """The DT_NEEDED entries (sonames) of an ELF file."""
    sections = _sections(elf)
    names = []
    for dynamic in (s for s in sections if s.kind == _SHT_DYNAMIC):
        strings = sections[dynamic.link]
        for at in range(dynamic.offset, dynamic.offset + dynamic.size, 16):
            tag, value = struct.unpack_from("<QQ", elf, at)
            if tag == _DT_NEEDED:
                start = strings.offset + value
                names.append(elf[start : elf.index(b"\0", start)].decode("ascii"))
    return names


def exported_data(elf: bytes, pattern: str) -> tuple[str, bytes]:
    """The name and bytes of the one dynamic symbol whose name matches `pattern`."""
    sections = _sections(elf)
    found = []
    for name, index, value, size in _dynamic_symbols(elf):
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
        # The data as one read-only, exported object.
        assembly = (
            f'\t.section .rodata,"a"\n\t.balign {_ALIGN}\n\t.globl {symbol}\n'
            f"\t.type {symbol}, @object\n{symbol}:\n"
            f'\t.incbin "{work / "icu.dat"}"\n\t.size {symbol}, . - {symbol}\n'
        )
        _link(work, library.name, assembly, None).replace(library)
    return before, library.stat().st_size


def _link(work: Path, soname: str, assembly: str, version_script: str | None) -> Path:
    """A shared library `soname` built in `work` from `assembly` with binutils' `as` and `ld`
    (no executable stack); its symbols get the versions `version_script` gives, if any."""
    (work / "lib.s").write_text(assembly + '\t.section .note.GNU-stack,"",@progbits\n')
    _run(["as", "--64", "-o", str(work / "lib.o"), str(work / "lib.s")])
    options = []
    if version_script is not None:
        (work / "lib.map").write_text(version_script)
        options = ["--version-script", str(work / "lib.map")]
    out = work / soname
    _run(["ld", "-shared", "-soname", soname, *options, "-o", str(out), str(work / "lib.o")])
    return out


def _stub_assembly(symbols: dict[str, str]) -> str:
    lines = []
    for name, kind in symbols.items():
        if kind == "function":  # never reached: a trap, not a wrong answer, if it ever were
            lines += ["\t.text", f"\t.globl {name}", f"\t.type {name}, @function", f"{name}:"]
            lines += ["\tud2", f"\t.size {name}, . - {name}"]
        else:  # a QMetaObject no object's meta object inherits from (7 pointers in Qt 6)
            lines += ["\t.section .rodata", "\t.balign 8", f"\t.globl {name}"]
            lines += [f"\t.type {name}, @object", f"{name}:", "\t.zero 64", f"\t.size {name}, 64"]
    return "".join(line + "\n" for line in lines)


def stub_qt_quick(internal: Path) -> tuple[int, int]:
    """Replace Qt Quick and QML under `internal` by the stand-ins; (bytes before, after).
    SlimError when a binary other than the media plugin links them, or the plugin needs a
    symbol the stand-ins lack."""
    libraries = {p.name: p for p in internal.rglob("libQt6*.so.6") if p.name in QT_QUICK_STUBS}
    targets = [p for p in libraries.values() if not p.is_symlink()]
    if not targets:
        return 0, 0
    offered = {name for symbols in QT_QUICK_STUBS.values() for name in symbols}
    for path in sorted(internal.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.name in QT_QUICK_STUBS:
            continue
        with path.open("rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
        elf = path.read_bytes()
        if not set(needed_libraries(elf)) & set(QT_QUICK_STUBS):
            continue
        if path.name != MEDIA_PLUGIN:
            raise SlimError(f"{path.name} links Qt Quick or QML: keep them (ontong-kiosk.spec)")
        wanted = {
            name
            for name, index, _value, _size in _dynamic_symbols(elf)
            if index == 0 and _QT_QUICK_SYMBOL.match(name)
        }
        if wanted - offered:
            raise SlimError(f"{path.name} needs more of Qt Quick: {sorted(wanted - offered)}")
    before = sum(p.stat().st_size for p in targets)
    with tempfile.TemporaryDirectory(prefix="ontong-stub-") as tmp:
        for target in targets:
            symbols = QT_QUICK_STUBS[target.name]
            exported = "".join(f" {name};" for name in symbols)
            script = f"Qt_6 {{ global:{exported} local: *; }};\n" if symbols else "{ local: *; };\n"
            work = Path(tmp) / target.name
            work.mkdir()
            _link(work, target.name, _stub_assembly(symbols), script).replace(target)
    return before, sum(p.stat().st_size for p in targets)


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
    """Trim the ICU data, put in the Qt Quick stand-ins and strip the binaries of the
    one-folder app at `folder`."""
    internal = folder / "_internal"
    for library in sorted(internal.rglob("libicudata.so.*")):
        if not library.is_symlink():
            was, now = rebuild_icu_library(library)
            print(f"ICU data: {was / 1e6:.1f} MB -> {now / 1e6:.1f} MB ({library.name})")
    was, now = stub_qt_quick(internal)
    print(f"Qt Quick and QML: {was / 1e6:.1f} MB -> {now / 1e6:.1f} MB (stand-ins)")
    was, now = strip_binaries(internal)
    print(f"Stripped binaries: {was / 1e6:.1f} MB -> {now / 1e6:.1f} MB")
