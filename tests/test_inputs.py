"""Reading parameter files safely (reliability catalogue rows 25-34)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from phrasebook.errors import ParamsFileError
from phrasebook.inputs import MAX_PARAMS_BYTES, parse_assignments, parse_params_text, read_params_file


def test_scalars_stay_as_written() -> None:
    data = parse_params_text(
        "country: NO\nplz: 01067\nzeit: 12:30\nversion: 1.10\nname: Null\nflag: yes\nday: 2026-12-02\n"
    )
    assert data == {
        "country": "NO", "plz": "01067", "zeit": "12:30", "version": "1.10",
        "name": "Null", "flag": "yes", "day": "2026-12-02",
    }


def test_python_tags_are_not_executed(tmp_path: Path) -> None:
    canary = tmp_path / "CANARY"
    text = f"deadline: !!python/object/apply:os.system ['touch {canary}']\n"
    with pytest.raises(ParamsFileError, match="YAML tags"):
        parse_params_text(text)
    assert not canary.exists()


def test_aliases_are_refused() -> None:
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'
    with pytest.raises(ParamsFileError, match=r"<params>:2:\d+: YAML aliases \(\*name\) are not allowed"):
        parse_params_text(bomb)


def test_duplicate_keys_name_both_lines() -> None:
    with pytest.raises(ParamsFileError, match=r"p.yaml:3: duplicate key 'deadline' \(first given on line 1\)"):
        parse_params_text("deadline: a\nx: b\ndeadline: c\n", "p.yaml")


def test_syntax_errors_have_line_and_column() -> None:
    with pytest.raises(ParamsFileError) as exc:
        parse_params_text('a: "unclosed\nb: [\n', "p.yaml")
    assert str(exc.value) == (
        "p.yaml:3:1: found unexpected end of stream "
        "(while scanning a quoted scalar that starts at line 1, column 4)"
    )
    # libyaml and PyYAML's own parser word this one differently
    with pytest.raises(ParamsFileError, match=r"^p.yaml:2:1: found (a tab character|character '\\t')"):
        parse_params_text("a: 1\n\tb: 2\n", "p.yaml")


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [("a: x\x01\n", "1:5", "0001"), ("ä: ö\nb: c\x7f\n", "2:5", "007F"), ("a: 1\n\ufffe", "2:1", "FFFE")],
)
def test_characters_yaml_refuses_are_named_with_their_place(text: str, where: str, code: str) -> None:
    with pytest.raises(ParamsFileError) as exc:
        parse_params_text(text, "p.yaml")
    assert str(exc.value) == f"p.yaml:{where}: character U+{code} is not allowed in YAML; remove it"


@pytest.mark.parametrize("text", ["? [a]\n: 1\n", "? {a: b}\n: 1\n", "x:\n  ? [a]\n  : 1\n"])
def test_keys_that_are_lists_or_mappings_are_refused(text: str) -> None:
    with pytest.raises(ParamsFileError, match=r"^p.yaml:\d+: keys must be plain names$"):
        parse_params_text(text, "p.yaml")


def test_deep_nesting_is_a_clean_error(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("x: " + "[" * 100_000 + "]" * 100_000 + "\n")
    code = (
        "import sys\nfrom phrasebook.inputs import read_params_file\n"
        "from phrasebook.errors import ParamsFileError\n"
        f"try:\n    read_params_file({str(deep)!r})\nexcept ParamsFileError as e:\n    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "nested too deeply" in result.stdout
    assert "Traceback" not in result.stderr


def test_oversized_files_are_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(MAX_PARAMS_BYTES + 1)
    with pytest.raises(ParamsFileError, match="parameter files are limited to 1,000,000"):
        read_params_file(big)


def test_cp1252_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes("name: Jürgen\n".encode("cp1252"))
    with pytest.raises(ParamsFileError, match=r"p.yaml:1: byte 7 \(0xfc\) is not UTF-8; save the file as UTF-8"):
        read_params_file(path)


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes("\ufeffname: Jürgen\n".encode())
    assert read_params_file(path) == {"name": "Jürgen"}


@pytest.mark.parametrize(
    ("text", "message"),
    [("- a\n- b\n", "expected a mapping"), ("just text\n", "expected a mapping")],
)
def test_top_level_must_be_a_mapping(text: str, message: str) -> None:
    with pytest.raises(ParamsFileError, match=message):
        parse_params_text(text)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParamsFileError, match="no such file"):
        read_params_file(tmp_path / "nope.yaml")


def test_assignments() -> None:
    assert parse_assignments(["a=1", "b=x=y", "l=1", "l=2"], ["l"]) == {"a": "1", "b": "x=y", "l": ["1", "2"]}
    with pytest.raises(ParamsFileError, match="--set expects NAME=VALUE, got 'oops'"):
        parse_assignments(["oops"])


def test_a_record_item_is_given_as_a_flow_mapping() -> None:
    given = parse_assignments(
        ["phases={name: Start, date: 2026-12-01}", "phases={name: 'Ende: Übergabe', date: 01.02.2027}"],
        ["phases", "points"], ["phases"],
    )
    assert given == {"phases": [{"name": "Start", "date": "2026-12-01"},
                                {"name": "Ende: Übergabe", "date": "01.02.2027"}]}
    for bad, message in (
        ("phases=", "--set phases: expected one item as {field: value, ...}, got ''"),
        ("phases={name: [x", "--set phases:1:"),
        ("phases=Start", "--set phases: expected one item as {field: value, ...}; repeat --set for more"),
        ("phases=[{name: a}]", "--set phases: expected one item as {field: value, ...}"),
        ("phases={a: &x 1, b: *x}", "YAML aliases (*name) are not allowed"),
    ):
        with pytest.raises(ParamsFileError) as exc:
            parse_assignments([bad], ["phases"], ["phases"])
        assert message in str(exc.value)


@pytest.fixture
def without_libyaml(monkeypatch: pytest.MonkeyPatch):
    """PyYAML as built without libyaml: its own parser reads the files."""
    from phrasebook.inputs import strict_loader_class

    monkeypatch.setitem(sys.modules, "yaml._yaml", None)
    strict_loader_class.cache_clear()
    yield
    strict_loader_class.cache_clear()


def test_without_libyaml_files_are_read_the_same_way(without_libyaml) -> None:
    assert parse_params_text("a: NO\nb: [x, 01067]\nc: {d: 1.10}\n") == {
        "a": "NO", "b": ["x", "01067"], "c": {"d": "1.10"}
    }
    for bad, message in (
        ("a: &x 1\nb: *x\n", "p.yaml:2:4: YAML aliases (*name) are not allowed"),
        ("a: 1\na: 2\n", "p.yaml:2: duplicate key 'a' (first given on line 1)"),
        ("a: x\x01\n", "p.yaml:1:5: character U+0001 is not allowed in YAML; remove it"),
        ("? [a]\n: 1\n", "p.yaml:1: keys must be plain names"),
    ):
        with pytest.raises(ParamsFileError) as exc:
            parse_params_text(bad, "p.yaml")
        assert str(exc.value).startswith(message)


@pytest.mark.parametrize(
    ("text", "where"),
    [("a: 1\rb: [\r", "p.yaml:3:1: "), ("a: 1\r\nb: x\x01\r\n", "p.yaml:2:5: "),
     ("a: 1\u2028b: x\x01\n", "p.yaml:2:5: "), ("a: x\udc80\n", "p.yaml:1:5: ")],
)
def test_places_count_every_yaml_line_break(text: str, where: str) -> None:
    with pytest.raises(ParamsFileError) as exc:
        parse_params_text(text, "p.yaml")
    assert str(exc.value).startswith(where)


def test_a_tab_in_the_indentation_is_named() -> None:
    with pytest.raises(ParamsFileError) as exc:
        parse_params_text("recipient:\n\tlast_name: Müller\n", "p.yaml")
    message = str(exc.value)
    assert message.startswith("p.yaml:2:1: ")
    assert "tab" in message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_without_a_size_is_read_only_up_to_the_limit() -> None:
    with pytest.raises(ParamsFileError, match=r"^/dev/zero: more than 1,000,000 bytes; parameter files are limited"):
        read_params_file("/dev/zero")


def test_a_name_given_twice_in_one_place_is_refused() -> None:
    from phrasebook.paramnames import flatten

    raw = parse_params_text("recipient.last_name: A\nrecipient:\n  last_name: B\n")
    with pytest.raises(ParamsFileError, match=r"^recipient.last_name: given twice, once as recipient.last_name"):
        flatten(raw, {"recipient.last_name"})
    assert flatten({"recipient": {"first_name": "A"}, "recipient.last_name": "B"},
                   {"recipient.first_name", "recipient.last_name"}) == {
        "recipient.first_name": "A", "recipient.last_name": "B"}


@pytest.mark.parametrize(
    ("text", "written"),
    [("deliverable: !!python/object/apply:os.system x\n", "!!python/object/apply:os.system"),
     ("a: !!int 5\n", "!!int"), ("a: [1, !custom 2]\n", "!custom")],
)
def test_yaml_tags_are_refused(text: str, written: str) -> None:
    with pytest.raises(ParamsFileError, match=rf"^p.yaml:1:\d+: YAML tags \({re.escape(written)}\) are not allowed"):
        parse_params_text(text, "p.yaml")
