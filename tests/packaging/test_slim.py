"""packaging/slim.py, which makes the built bundle smaller: Qt's ICU data keeps what the app's
languages reach (the same answers for Korean and English as the full data), and only binaries
not stripped yet are stripped (a stripped one is left byte for byte)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))
import slim  # noqa: E402

QT_LIB = Path(PySide6.__file__).parent / "Qt" / "lib"
ICU = sorted(QT_LIB.glob("libicudata.so.*"))

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not ICU, reason="Qt's own ICU: Linux wheels only"
)

# What Qt asks ICU in the app's two languages: collation, case mapping, time zone names.
ICU_QUESTIONS = """
from PySide6.QtCore import QCollator, QLocale, QTimeZone
words = ["하늘", "가방", "나무", "Zebra", "apple", "다리", "ㄱ", "10", "9", "Émile", "éclair"]
for name in ("ko_KR", "en_US"):
    locale = QLocale(name)
    collator = QCollator(locale)
    print(sorted(words, key=collator.sortKey))
    collator.setNumericMode(True)
    print(sorted(words, key=collator.sortKey))
    print(locale.toUpper("straße ǆ"), locale.toLower("ΑΣ İ"))
    zone = QTimeZone(b"Asia/Seoul")
    for kind in (QTimeZone.NameType.LongName, QTimeZone.NameType.ShortName):
        print(zone.displayName(QTimeZone.TimeType.StandardTime, kind, locale))
"""


def icu_answers(preload: Path | None) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if preload is not None:
        env["LD_PRELOAD"] = str(preload)  # this libicudata, not the wheel's, gives the data
    out = subprocess.run(
        [sys.executable, "-c", ICU_QUESTIONS], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout


def test_the_icu_package_is_read_and_written_back_byte_for_byte() -> None:
    _symbol, data = slim.exported_data(ICU[0].read_bytes(), r"icudt\d+_dat")
    icu = slim.IcuData.parse(data)
    assert icu.pack() == data
    names = [name for name, _ in icu.kept().items]
    assert names == sorted(names)  # ICU looks items up by binary search
    kept = {name.split("/", 1)[1] for name in names}
    assert {"ko.res", "en.res", "root.res", "coll/ko.res", "coll/root.res", "pool.res"} <= kept
    assert {"supplementalData.res", "zoneinfo64.res", "likelySubtags.res"} <= kept
    assert not {"ja.res", "zh.res", "coll/zh.res", "zone/de.res", "brkitr/cjdict.dict"} & kept
    assert not any(name.startswith("translit/") or name.endswith(".cnv") for name in kept)


def test_the_trimmed_icu_answers_korean_and_english_as_the_full_one(tmp_path: Path) -> None:
    library = tmp_path / ICU[0].name
    shutil.copy2(ICU[0], library)
    before, after = slim.rebuild_icu_library(library)
    assert after < before / 2
    assert slim.rebuild_icu_library(library) == (after, after)  # a second run changes nothing
    trimmed = icu_answers(library)
    assert "대한민국 표준시" in trimmed and "Korean Standard Time" in trimmed
    assert trimmed == icu_answers(None)


def test_only_binaries_not_stripped_yet_are_stripped(tmp_path: Path) -> None:
    import greenlet._greenlet

    module = Path(greenlet._greenlet.__file__)
    stripped_already = next(p for p in QT_LIB.glob("libavutil.so.*") if not p.is_symlink())
    assert slim.has_symbol_table(module)
    assert not slim.has_symbol_table(stripped_already)
    shutil.copy2(module, tmp_path / module.name)
    shutil.copy2(stripped_already, tmp_path / stripped_already.name)
    (tmp_path / "notes.txt").write_text("not a binary")

    before, after = slim.strip_binaries(tmp_path)

    assert before == module.stat().st_size and after < before
    assert not slim.has_symbol_table(tmp_path / module.name)
    assert (tmp_path / stripped_already.name).read_bytes() == stripped_already.read_bytes()
    # The stripped extension still loads and works.
    spec = importlib.util.spec_from_file_location("greenlet._greenlet", tmp_path / module.name)
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    assert loaded.greenlet(lambda: 42).switch() == 42


LOAD_PLUGIN = """
import ctypes, sys
import PySide6.QtMultimedia  # Qt's own libraries, as the app has them loaded
stubs, plugin = sys.argv[1], sys.argv[2]
for name in ("libQt6Qml.so.6", "libQt6Quick.so.6"):
    ctypes.CDLL(f"{stubs}/{name}")
# The plugin is linked with BIND_NOW: every symbol it names is bound here, or this fails.
print(hasattr(ctypes.CDLL(plugin), "qt_plugin_instance"))
"""


def qt_folder(tmp_path: Path, *names: str) -> Path:
    """A bundle's _internal with copies of these Qt libraries and the FFmpeg media plugin."""
    internal = tmp_path / "_internal"
    lib = internal / "PySide6" / "Qt" / "lib"
    plugins = internal / "PySide6" / "Qt" / "plugins" / "multimedia"
    lib.mkdir(parents=True)
    plugins.mkdir(parents=True)
    for name in names:
        shutil.copy2(QT_LIB / name, lib / name)
    shutil.copy2(QT_LIB.parent / "plugins" / "multimedia" / slim.MEDIA_PLUGIN, plugins)
    return internal


def test_the_media_plugin_loads_against_the_qt_quick_stand_ins(tmp_path: Path) -> None:
    internal = qt_folder(tmp_path, "libQt6Quick.so.6", "libQt6Qml.so.6")
    lib = internal / "PySide6" / "Qt" / "lib"

    before, after = slim.stub_qt_quick(internal)

    assert before > 10_000_000 and after < 100_000
    plugin = internal / "PySide6" / "Qt" / "plugins" / "multimedia" / slim.MEDIA_PLUGIN
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LD_LIBRARY_PATH=str(QT_LIB))
    out = subprocess.run(
        [sys.executable, "-c", LOAD_PLUGIN, str(lib), str(plugin)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and out.stdout.strip() == "True", out.stderr


def test_the_stand_ins_are_refused_when_more_than_the_plugin_links_qml(tmp_path: Path) -> None:
    internal = qt_folder(tmp_path, "libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6QmlModels.so.6")
    with pytest.raises(slim.SlimError, match="libQt6QmlModels.so.6 links Qt Quick or QML"):
        slim.stub_qt_quick(internal)
    assert (internal / "PySide6" / "Qt" / "lib" / "libQt6Quick.so.6").stat().st_size > 1_000_000
