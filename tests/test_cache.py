"""The user's cache only ever speeds things up: same answers, and any damage is ignored."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import sys
from pathlib import Path

import pytest
from conftest import TODAY

from phrasebook import cache, render
from phrasebook import workdays as planning
from phrasebook.templating import environment

D = dt.date


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An empty cache directory of this test's own, and nothing remembered in memory."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("PHRASEBOOK_CACHE_DIR", str(directory))
    cache.clear_memory()
    _forget()
    yield directory
    cache.clear_memory()
    _forget()


def _entry(directory: Path, name: str) -> Path:
    """The cached table ``name`` of the installed ``holidays``."""
    return directory / cache.package_folder("holidays", cache.package_identity("holidays")) / name


def _forget() -> None:
    """Forget what this process remembers, so the next answer comes from the cache on disk."""
    planning._holiday_names.cache_clear()
    planning._country_regions.cache_clear()
    planning._subdivisions.cache_clear()
    planning._subdivision_names.cache_clear()


def _from_holidays(country, subdiv, year, language, catholic):
    """The table as the holidays package computes it, without any cache."""
    import holidays

    categories = ("public", "catholic") if catholic else ("public",)
    return dict(
        holidays.country_holidays(
            country, subdiv=subdiv, years=year, language=language, categories=categories
        ).items()
    )


@pytest.mark.parametrize(
    "key",
    [
        ("DE", None, 2026, "de", False),
        ("DE", "BY", 2027, "en_US", True),
        ("DE", "SN", 2026, "de", False),
        ("AT", "9", 2026, "de", False),
        ("CH", "ZH", 2027, "en_US", False),
    ],
)
def test_a_cached_holiday_table_is_the_computed_one(fresh_cache: Path, key) -> None:
    expected = _from_holidays(*key)
    assert planning._holiday_names(*key) == expected  # computed, then stored
    files = list((fresh_cache / "holidays").glob("*/*.json"))
    assert len(files) == 1
    _forget()
    assert planning._holiday_names(*key) == expected  # read back


def test_the_cache_is_read_instead_of_holidays(fresh_cache: Path) -> None:
    key = ("DE", None, 2026, "de", False)
    planning._holiday_names(*key)
    path = _entry(fresh_cache, "DE--2026-de-public.json")
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["data"]["2026-11-25"] = "Testtag"
    path.write_text(json.dumps(stored), encoding="utf-8")  # its checksum no longer fits
    _forget()
    assert D(2026, 11, 25) not in planning._holiday_names(*key)
    stored["sha256"] = cache._digest(stored["data"])
    path.write_text(json.dumps(stored), encoding="utf-8")
    _forget()
    assert planning._holiday_names(*key)[D(2026, 11, 25)] == "Testtag"


def test_a_stale_or_damaged_entry_is_computed_again(fresh_cache: Path) -> None:
    key = ("DE", "BY", 2026, "de", False)
    expected = _from_holidays(*key)
    planning._holiday_names(*key)
    path = _entry(fresh_cache, "DE-BY-2026-de-public.json")
    stored = json.loads(path.read_text(encoding="utf-8"))
    for damaged in (
        json.dumps({**stored, "identity": "another installation of holidays"}).encode(),
        json.dumps({**stored, "data": {"2026-13-01": "x"}}).encode(),
        json.dumps({**stored, "data": ["2026-12-25"]}).encode(),
        json.dumps({**stored, "data": {}}).encode(),
        b"[" * 100_000,
        b'{"identity": ',
        b"\xff\xfe{}",
        b"",
    ):
        path.write_bytes(damaged)
        _forget()
        assert planning._holiday_names(*key) == expected
        # ... and the entry is written anew
        assert json.loads(path.read_text(encoding="utf-8")) == stored


def test_region_codes_are_cached_too(fresh_cache: Path) -> None:
    codes = planning.region_codes("DE")
    name = planning.parse_region("DE-BY").name
    assert _entry(fresh_cache, "DE-regions.json").is_file()
    _forget()
    assert planning.region_codes("DE") == codes
    assert planning.parse_region("DE-BY").name == name == "Bayern"


def _site(tmp_path: Path, record: str | None) -> Path:
    """A site directory with a package ``holidays`` and, optionally, its install record."""
    package = tmp_path / "site" / "holidays"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    if record is not None:
        info = tmp_path / "site" / "holidays-1.0.dist-info"
        info.mkdir()
        (info / "RECORD").write_text(record, encoding="utf-8")
    return package


RECORD = "holidays/__init__.py,sha256=abc,0\nholidays/countries/germany.py,sha256=def,10\n"


def test_the_identity_is_the_install_record(tmp_path: Path) -> None:
    import holidays

    assert cache.package_identity("holidays") == cache.record_identity(Path(holidays.__file__).parent)
    package = _site(tmp_path, RECORD)
    first = cache.record_identity(package)
    (tmp_path / "site" / "holidays-1.0.dist-info" / "RECORD").write_text(
        RECORD.replace("sha256=def", "sha256=xyz"), encoding="utf-8"
    )
    second = cache.record_identity(package)
    assert first and second and first != second and str(package) in first


@pytest.mark.parametrize(
    "record",
    [None, "__editable__.holidays-1.0.pth,sha256=abc,10\n"],
    ids=["no record", "editable install"],
)
def test_without_an_install_record_holidays_are_not_cached(tmp_path: Path, record) -> None:
    assert cache.record_identity(_site(tmp_path, record)) is None


def test_two_install_records_are_not_guessed_between(tmp_path: Path) -> None:
    package = _site(tmp_path, RECORD)
    other = tmp_path / "site" / "holidays-0.9.dist-info"
    other.mkdir()
    (other / "RECORD").write_text(RECORD, encoding="utf-8")
    assert cache.record_identity(package) is None


def test_an_empty_cache_variable_turns_the_cache_off(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PHRASEBOOK_CACHE_DIR", "")
    cache.clear_memory()
    try:
        assert cache.cache_dir() is None
        assert cache.template_cache("options") is None
        cache.store("holidays/x.json", "id", {"a": 1})
        assert cache.load("holidays/x.json", "id") is None
    finally:
        cache.clear_memory()


def test_the_default_place_is_the_user_cache_directory(monkeypatch) -> None:
    monkeypatch.delenv("PHRASEBOOK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    cache.clear_memory()
    try:
        if sys.platform != "linux":
            pytest.skip("the XDG location applies on Linux")
        assert cache.cache_dir() == Path("/somewhere/cache/phrasebook")
    finally:
        cache.clear_memory()


def test_no_cache_without_a_home_directory(monkeypatch) -> None:
    import platformdirs

    monkeypatch.delenv("PHRASEBOOK_CACHE_DIR")
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda *a, **k: "~/.cache/phrasebook")
    cache.clear_memory()
    try:
        assert cache.cache_dir() is None
    finally:
        cache.clear_memory()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root may write anywhere")
def test_an_unwritable_cache_is_ignored(fresh_cache: Path) -> None:
    fresh_cache.mkdir()
    fresh_cache.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        key = ("DE", None, 2027, "de", False)
        assert planning._holiday_names(*key) == _from_holidays(*key)
        assert cache.template_cache("options") is None
    finally:
        fresh_cache.chmod(stat.S_IRWXU)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_the_users_own_directories_are_made_private_again(fresh_cache: Path) -> None:
    (fresh_cache / "holidays").mkdir(parents=True)
    (fresh_cache / "holidays").chmod(0o777)  # as a permissive umask leaves it
    fresh_cache.chmod(0o775)
    cache.store("holidays/x.json", "id", {"a": 1})
    assert cache.load("holidays/x.json", "id") == {"a": 1}
    assert stat.S_IMODE((fresh_cache / "holidays").stat().st_mode) == 0o755
    assert stat.S_IMODE(fresh_cache.stat().st_mode) == 0o755
    assert stat.S_IMODE((fresh_cache / "holidays" / "x.json").stat().st_mode) == 0o600
    assert cache.load("holidays/x.json", "other") is None
    (fresh_cache / "holidays" / "x.json").chmod(0o666)  # an entry others can write is not read
    assert cache.load("holidays/x.json", "id") is None


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs to hand a directory to another user")
def test_a_directory_of_another_user_is_not_used(fresh_cache: Path) -> None:
    (fresh_cache / "holidays").mkdir(parents=True, mode=0o700)
    os.chown(fresh_cache / "holidays", 54321, -1)
    cache.store("holidays/x.json", "id", {"a": 1})
    assert not (fresh_cache / "holidays" / "x.json").exists()
    assert cache.load("holidays/x.json", "id") is None


def test_a_missing_parent_of_the_cache_directory_is_made(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PHRASEBOOK_CACHE_DIR", str(tmp_path / "new-home" / ".cache" / "phrasebook"))
    cache.clear_memory()
    try:
        cache.store("holidays/x.json", "id", {"a": 1})
        assert cache.load("holidays/x.json", "id") == {"a": 1}
    finally:
        cache.clear_memory()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_the_cache_directory_may_be_a_link_to_another_disk(tmp_path: Path, monkeypatch) -> None:
    elsewhere = tmp_path / "disk"
    elsewhere.mkdir(mode=0o700)
    link = tmp_path / "cache"
    link.symlink_to(elsewhere)
    monkeypatch.setenv("PHRASEBOOK_CACHE_DIR", str(link))
    cache.clear_memory()
    try:
        cache.store("holidays/x.json", "id", {"a": 1})
        assert (elsewhere / "holidays" / "x.json").is_file()
        assert cache.load("holidays/x.json", "id") == {"a": 1}
    finally:
        cache.clear_memory()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_symbolic_link_in_the_cache_leads_nowhere(fresh_cache: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    fresh_cache.mkdir(mode=0o700)
    (fresh_cache / "holidays").symlink_to(elsewhere)
    cache.store("holidays/DE-regions.json", "id", {"a": 1})
    assert list(elsewhere.iterdir()) == []
    # ... and an entry that is a link is not read
    (fresh_cache / "holidays").unlink()
    (fresh_cache / "holidays").mkdir(mode=0o700)
    target = elsewhere / "x.json"
    cache.store("holidays/x.json", "id", {"a": 1})
    (fresh_cache / "holidays" / "x.json").rename(target)
    (fresh_cache / "holidays" / "x.json").symlink_to(target)
    assert cache.load("holidays/x.json", "id") is None


def test_compiled_templates_are_kept_apart_by_how_they_were_compiled(fresh_cache: Path) -> None:
    first, second = cache.template_cache("jinja2 3.1.6; trim_blocks=True"), cache.template_cache("other")
    assert first.directory != second.directory
    assert Path(first.directory).parent == fresh_cache / "templates"


def test_compiled_templates_are_kept_and_damage_is_recompiled(fresh_cache: Path) -> None:
    params = {
        "recipient.last_name": "Müller", "recipient.gender": "female",
        "sender.name": "Anna Schäfer", "deliverable": "das Konzept", "deadline": "2026-12-02",
    }

    def once() -> str:
        environment.cache_clear()
        return render("deadline-offer", "de", params, today=TODAY).text

    first = once()
    entries = list((fresh_cache / "templates").glob("*/*"))
    assert len(entries) >= 2  # the letter and its frame
    assert once() == first
    for entry in entries:
        entry.write_bytes(b"not a compiled template")
    assert once() == first
    environment.cache_clear()


def test_a_cache_that_cannot_be_made_is_ignored(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("PHRASEBOOK_CACHE_DIR", str(blocker / "cache"))
    cache.clear_memory()
    _forget()
    try:
        key = ("DE", "HH", 2027, "de", False)
        assert planning._holiday_names(*key) == _from_holidays(*key)
        assert cache.template_cache("options") is None
        environment.cache_clear()
        params = {"recipient.last_name": "Weber", "recipient.gender": "male",
                  "sender.name": "Anna Schäfer", "deliverable": "den Entwurf",
                  "deadline": "2026-12-02"}
        assert "Sehr geehrter Herr Weber," in render("deadline-offer", "de", params, today=TODAY).text
    finally:
        environment.cache_clear()
        cache.clear_memory()
        _forget()


def test_each_installation_of_holidays_has_its_own_tables(fresh_cache: Path) -> None:
    assert cache.package_folder("holidays", "one") != cache.package_folder("holidays", "two")
    cache.store(f"{cache.package_folder('holidays', 'one')}/DE.json", "one", {"a": 1})
    cache.store(f"{cache.package_folder('holidays', 'two')}/DE.json", "two", {"a": 2})
    assert cache.load(f"{cache.package_folder('holidays', 'one')}/DE.json", "one") == {"a": 1}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_in_place_of_an_entry_is_not_waited_on(fresh_cache: Path) -> None:
    cache.store("holidays/x.json", "id", {"a": 1})
    entry = fresh_cache / "holidays" / "x.json"
    entry.unlink()
    os.mkfifo(entry, 0o600)
    assert cache.load("holidays/x.json", "id") is None


@pytest.fixture
def babel_memory(monkeypatch: pytest.MonkeyPatch):
    """Babel's in-memory locale data, emptied for this test and restored after it."""
    from babel import localedata

    from phrasebook import l10n

    monkeypatch.setattr(localedata, "_cache", {})
    l10n.babel_locale.cache_clear()
    yield localedata._cache
    l10n.babel_locale.cache_clear()


def _locale_entry(directory: Path, name: str) -> Path:
    return directory / cache.package_folder("babel", cache.package_identity("babel")) / f"{name}.pickle"


def _formatted(identifier: str) -> list[str]:
    """A sample of everything phrasebook asks Babel for, in one locale."""
    from phrasebook import l10n
    from phrasebook.l10n import resolve_language

    language = resolve_language(identifier)
    return [
        l10n.format_date(D(2026, 12, 2), language=language),
        l10n.format_date(D(2026, 12, 2), "medium", language=language),
        l10n.format_time(dt.time(16, 0), language=language),
        l10n.format_money("1234.5", language=language),
        l10n.format_number("1234.5", language=language),
        l10n.format_percent("0.4", language=language),
        l10n.format_listing(["a", "b", "c"], language=language),
    ]


@pytest.mark.parametrize("identifier", ["de", "en", "en_US"])
def test_cached_locale_data_formats_exactly_like_babels_own(
    fresh_cache: Path, babel_memory: dict, identifier: str
) -> None:
    if cache.package_identity("babel") is None:
        pytest.skip("Babel is installed without an install record")
    computed = _formatted(identifier)  # Babel loads the data; it is stored
    stored = list(fresh_cache.glob("babel/*/*.pickle"))
    assert len(stored) == 1
    babel_memory.clear()
    from phrasebook import l10n

    l10n.babel_locale.cache_clear()
    assert _formatted(identifier) == computed  # from the cache
    assert set(babel_memory) == {stored[0].stem}  # no layers were read


def test_damaged_locale_data_is_loaded_again(fresh_cache: Path, babel_memory: dict) -> None:
    if cache.package_identity("babel") is None:
        pytest.skip("Babel is installed without an install record")
    from phrasebook import l10n

    expected = _formatted("de")
    entry = _locale_entry(fresh_cache, "de_DE")
    content = bytearray(entry.read_bytes())
    content[-10] ^= 0xFF
    entry.write_bytes(bytes(content))
    babel_memory.clear()
    l10n.babel_locale.cache_clear()
    assert _formatted("de") == expected
    assert "root" in babel_memory  # Babel read the layers itself
    assert entry.read_bytes() != bytes(content)  # and the entry was written afresh


def test_byte_entries_belong_to_one_identity(fresh_cache: Path) -> None:
    cache.store_bytes("babel/x/de_DE.pickle", "one", b"\x00payload\n\nwith blank line")
    assert cache.load_bytes("babel/x/de_DE.pickle", "one") == b"\x00payload\n\nwith blank line"
    assert cache.load_bytes("babel/x/de_DE.pickle", "two") is None
    assert cache.load_bytes("babel/x/missing.pickle", "one") is None


def test_locale_data_is_kept_as_it_comes_from_babels_files(
    fresh_cache: Path, babel_memory: dict
) -> None:
    if cache.package_identity("babel") is None:
        pytest.skip("Babel is installed without an install record")
    import pickle

    from babel import localedata

    _formatted("en_US")  # en_US's use leaves resolved aliases in the layers en_GB shares
    _formatted("en")
    stored = _locale_entry(fresh_cache, "en_GB").read_bytes()
    assert b"LocaleDataDict" not in stored
    babel_memory.clear()
    clean = pickle.dumps(localedata.load("en_GB"), protocol=pickle.HIGHEST_PROTOCOL)
    assert cache.load_bytes(f"{cache.package_folder('babel', cache.package_identity('babel'))}/en_GB.pickle",
                            cache.package_identity("babel")) == clean


def test_locale_data_is_not_prepared_when_the_cache_is_off(
    monkeypatch: pytest.MonkeyPatch, babel_memory: dict
) -> None:
    monkeypatch.setenv("PHRASEBOOK_CACHE_DIR", "")
    cache.clear_memory()
    import pickle

    calls = []
    monkeypatch.setattr(pickle, "dumps", lambda *a, **k: calls.append(a) or b"")
    _formatted("de")
    assert calls == []
    cache.clear_memory()
