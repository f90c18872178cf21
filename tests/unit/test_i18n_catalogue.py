"""The message files (kiosk/i18n/*.toml): what a translator's slip does at load."""

from pathlib import Path

import pytest

from kiosk.i18n import CATALOGUE, CATALOGUE_DIR, PARTS, Catalogue, CatalogueError, load

GOOD = '["home.greeting"]\nko = "무엇을 하시겠어요?"\nen = "What would you like to do?"\n'


def write(folder: Path, part: str, text: str) -> None:
    (folder / f"{part}.toml").write_text(text, encoding="utf-8")


def test_every_file_of_the_package_is_read_and_every_part_is_there():
    assert sorted(p.stem for p in CATALOGUE_DIR.glob("*.toml")) == sorted(PARTS)
    assert CATALOGUE["home.greeting"] == ("무엇을 하시겠어요?", "What would you like to do?")


def test_comments_and_multi_line_texts_read_as_the_app_shows_them(tmp_path):
    write(
        tmp_path,
        "shell",
        '# The idle prompt\n["idle.countdown"]\n'
        'ko = """\n{seconds}초 뒤에 처음 화면으로 돌아갑니다.\n입력하신 내용은 지워집니다."""\n'
        'en = "In {seconds} seconds the kiosk goes back to the start."  # shorter\n',
    )
    assert load(tmp_path, ("shell",)) == {
        "idle.countdown": (
            "{seconds}초 뒤에 처음 화면으로 돌아갑니다.\n입력하신 내용은 지워집니다.",
            "In {seconds} seconds the kiosk goes back to the start.",
        )
    }


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # A syntax error: the quote after the Korean text is missing.
        (
            GOOD + '\n["home.hint"]\nko = "하고 싶은 일을 눌러 주세요.\nen = "Touch"\n',
            ["shell.toml", "'home.hint'", "line 6"],
        ),
        # Wrong shape: a bare text instead of a table with ko and en.
        ('"home.hint" = "눌러 주세요."\n' + GOOD, ["shell.toml", "'home.hint'", "table"]),
        # The id without quotes makes nested tables.
        ('[home.hint]\nko = "눌러 주세요."\nen = "Touch."\n', ["shell.toml", "'home'", "quotes"]),
        # Missing or empty English, empty Korean.
        (GOOD + '\n["home.hint"]\nko = "눌러 주세요."\n', ["shell.toml", "'home.hint'", "English"]),
        (GOOD + '\n["home.hint"]\nko = "눌러"\nen = " "\n', ["'home.hint'", "English"]),
        (GOOD + '\n["home.hint"]\nko = ""\nen = "Touch."\n', ["'home.hint'", "Korean"]),
        # A third language or a misspelt key.
        (GOOD + '\n["home.hint"]\nko = "눌러"\nen = "Touch"\nenn = "x"\n', ["'home.hint'", "enn"]),
        # A placeholder translated, or a lone brace.
        (
            '["idle.countdown"]\nko = "{초}초 뒤에"\nen = "In {seconds} seconds"\n',
            ["shell.toml", "'idle.countdown'", "braces"],
        ),
        ('["idle.countdown"]\nko = "{seconds초 뒤에"\nen = "In {seconds}"\n', ["'idle.countdown'"]),
        # The same id twice in one file.
        (GOOD + "\n" + GOOD, ["shell.toml", "'home.greeting'", "twice"]),
    ],
)
def test_a_broken_file_stops_the_load_naming_the_file_and_the_id(tmp_path, text, names):
    write(tmp_path, "shell", text)
    with pytest.raises(CatalogueError) as caught:
        load(tmp_path, ("shell",))
    for name in names:
        assert name in str(caught.value)


def test_an_id_in_two_files_names_both(tmp_path):
    write(tmp_path, "shell", GOOD)
    write(tmp_path, "survey", '["survey.list.hint"]\nko = "골라"\nen = "Choose"\n\n' + GOOD)
    with pytest.raises(CatalogueError, match=r"'home.greeting'.*shell\.toml.*survey\.toml"):
        load(tmp_path, ("shell", "survey"))


def test_a_missing_file_is_named(tmp_path):
    write(tmp_path, "shell", GOOD)
    with pytest.raises(CatalogueError, match=r"survey\.toml"):
        load(tmp_path, ("shell", "survey"))


def test_the_catalogue_reads_its_first_files_then_the_rest_when_an_id_of_theirs_is_asked(tmp_path):
    write(tmp_path, "shell", GOOD)
    write(tmp_path, "survey", '["survey.list.hint"]\nko = "골라"\nen = "Choose"\n')
    catalogue = Catalogue(tmp_path, ("shell", "survey"), first=("shell",))
    assert catalogue["home.greeting"][1] == "What would you like to do?"
    assert not catalogue.completed
    assert catalogue["survey.list.hint"] == ("골라", "Choose")
    assert catalogue.completed
    assert dict(catalogue) == load(tmp_path, ("shell", "survey"))
    with pytest.raises(KeyError):
        catalogue["survey.nothing"]


def test_an_id_in_a_first_file_and_a_later_one_stops_the_rest_naming_both(tmp_path):
    write(tmp_path, "shell", GOOD)
    write(tmp_path, "survey", GOOD)
    catalogue = Catalogue(tmp_path, ("shell", "survey"), first=("shell",))
    with pytest.raises(CatalogueError, match=r"'home.greeting'.*shell\.toml.*survey\.toml"):
        catalogue.complete()
    assert not catalogue.completed  # as it was: asking again says it again
    with pytest.raises(CatalogueError):
        "survey.list.hint" in catalogue  # noqa: B015 - the lookup is what is tested


@pytest.mark.logs_error(r"ERROR kiosk: catalogue_unusable")
def test_a_later_file_that_cannot_be_used_stops_the_app_after_the_first_paint(
    tmp_path, monkeypatch
):
    from kiosk import app as kiosk_app

    write(tmp_path, "shell", GOOD)
    write(tmp_path, "survey", GOOD)  # the same id again
    monkeypatch.setattr(
        "kiosk.i18n.CATALOGUE", Catalogue(tmp_path, ("shell", "survey"), first=("shell",))
    )
    exits: list[int] = []

    class App:
        def exit(self, code: int) -> None:
            exits.append(code)

    kiosk_app.complete_catalogue(App())  # type: ignore[arg-type]
    assert exits == [1]
