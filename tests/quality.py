"""Language checks applied to every rendered sample: markup, spacing, register, spelling."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

SPELLING = Path(__file__).parent / "spelling"
DICTIONARIES = {"de": "de_DE", "en": "en_GB", "en_US": "en_US", "de_AT": "de_AT", "de_CH": "de_CH"}

_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\bNone\b|\bUndefined\b|\bnull\b")
_DU_FORMS = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines|euch|euer|eure)\b", re.I)
_SIE_FORMS = re.compile(r"\b(Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b")
#: Forms that speak to one person: wrong where a letter speaks to several people or a team (ihr).
_SINGULAR_DU = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b", re.I)
#: Requests to one person ("sprich mich an", "lass uns"); after or before "ich" the verb is the writer's own.
_SINGULAR_REQUEST = re.compile(
    r"(?<!\bich )\b(sprich|sag|antworte|bestätige|überweise|schick|schreib|melde|lass uns)\b(?! ich\b)", re.I
)
#: Quoted words on one line: what someone else says, not the writer's address.
_QUOTED = re.compile(r"„[^„“\n]*“|“[^“”\n]*”")
#: Characters after which "Ihr" opens a sentence, a quote or a list item: the plural pronoun.
_OPENERS = ".!?:;\n„“-–"
_LOWER_SIE = re.compile(r"\b(ihnen)\b")
_SALUTATION = re.compile(
    r"^(Sehr geehrte Frau .+,|Sehr geehrter Herr .+,|Sehr geehrte Damen und Herren,|Guten Tag .+,"
    r"|Liebe .+,|Lieber .+,|Liebes Team von .+,|Hallo .+,"
    r"|Dear .+,|Hi .+,)$",
    re.M,
)
#: Words that may open a German letter body with a capital letter.
CAPITALISED_OPENERS = {"Sie", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihnen"}


def _plural_salutation(text: str) -> bool:
    """Whether a German informal salutation speaks to several people or to a team."""
    match = _SALUTATION.search(text)
    if not match:
        return False
    line = match.group()
    return line.startswith("Liebes Team von ") or bool(re.search(r", lieb|\bund\b", line))


def _opens_sentence(text: str, index: int) -> bool:
    """Whether the word at ``index`` opens a sentence, a line, a quote or a list item."""
    before = text[:index].rstrip(" \t")
    return not before or before[-1] in _OPENERS


def problems(text: str, lang: str, *, formal: bool | None = None, plural: bool | None = None) -> list[str]:
    """Return a list of language problems found in ``text`` (empty when clean).

    ``plural`` says that an informal German text speaks to several people or to a team
    (ihr, euch, euer): then any du-form is a problem. None takes it from the salutation.
    """
    found: list[str] = variant_problems(text, lang)
    lang = lang[:2]
    for match in _LEFTOVER.finditer(text):
        found.append(f"leftover markup or empty value: {match.group()!r}")
    for number, line in enumerate(text.splitlines(), 1):
        content = line.lstrip(" ")
        if "  " in content:
            found.append(f"line {number}: double space in {line!r}")
        if re.search(r" [,.;:!?](\s|$)", content):
            found.append(f"line {number}: space before punctuation in {line!r}")
        if content != content.rstrip():
            found.append(f"line {number}: trailing whitespace")
    if lang == "de" and formal is True:
        found += [f"du-form in a formal text: {m.group()!r}" for m in _DU_FORMS.finditer(text)]
        found += [f"lowercase polite pronoun: {m.group()!r}" for m in _LOWER_SIE.finditer(text)]
    if lang == "de" and formal is False:
        if plural is None:
            plural = _plural_salutation(text)
        for m in _SIE_FORMS.finditer(text):
            if plural and m.group() == "Ihr" and _opens_sentence(text, m.start()):
                continue  # "Ihr bekommt …": the plural pronoun at the start of a sentence
            found.append(f"Sie-form in an informal text: {m.group()!r}")
        if plural:
            # The client's own words („Kannst du …?“) may speak to the writer with du.
            unquoted = _QUOTED.sub(" ", text)
            found += [f"du-form in a text to several people: {m.group()!r}" for m in _SINGULAR_DU.finditer(unquoted)]
            found += [f"request to one person in a text to several people: {m.group()!r}"
                      for m in _SINGULAR_REQUEST.finditer(unquoted)]
    salutation = _SALUTATION.search(text)
    if salutation:
        rest = text[salutation.end():].lstrip("\n")
        first = re.match(r"\S+", rest)
        if first:
            word = first.group().strip(",.:;!?")
            if lang == "de" and word[:1].isupper() and word not in CAPITALISED_OPENERS:
                found.append(f"German body after the salutation starts with a capital: {word!r}")
            if lang == "en" and word[:1].islower():
                found.append(f"English body after the greeting starts lowercase: {word!r}")
    return found


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
#: An American date whose sentence goes on after the year without a comma.
_US_YEAR_NO_COMMA = re.compile(rf"\b(?:{_MONTHS}) \d{{1,2}}, \d{{4}}(?= [A-Za-z])")
#: A British day-month date.
_GB_DATE = re.compile(rf"\b\d{{1,2}} (?:{_MONTHS})\b")


def variant_problems(text: str, lang: str) -> list[str]:
    """What a regional variant does not write: the words of :data:`phrasebook.variants.AVOID`
    (an ß in Swiss German, "straight away" in American English), and in American English a
    British day-month date or a date whose year has no comma before the sentence goes on."""
    from phrasebook.l10n import resolve_language
    from phrasebook.variants import AVOID

    locale = resolve_language(lang).locale
    found = []
    for wrong, right in AVOID.get(locale, {}).items():
        pattern = rf"\b{re.escape(wrong)}\b" if wrong[:1].isalpha() and len(wrong) > 1 else re.escape(wrong)
        found += [f"{locale}: {m.group()!r} (write {right!r})" for m in re.finditer(pattern, text)]
    if locale == "en_US":
        found += [f"en_US: no comma after the year in {m.group()!r}" for m in _US_YEAR_NO_COMMA.finditer(text)]
        found += [f"en_US: British date {m.group()!r}" for m in _GB_DATE.finditer(text)]
    return found


def hunspell_available() -> bool:
    """Whether hunspell and both dictionaries are installed."""
    if not shutil.which("hunspell"):
        return False
    dicts = Path("/usr/share/hunspell")
    return all((dicts / f"{d}.dic").is_file() for d in DICTIONARIES.values())


def hunspell_for(lang: str) -> bool:
    """Whether hunspell and the dictionary of ``lang`` (a language or a variant) are installed."""
    return bool(shutil.which("hunspell")) and (Path("/usr/share/hunspell") / f"{DICTIONARIES[lang]}.dic").is_file()


@functools.cache
def _word_list(lang: str) -> Path:
    """Combine tests/spelling/<lang>.txt and <lang>-*.txt into one personal dictionary for
    hunspell; a variant (en_US) adds its own lists to its language's."""
    import tempfile

    words: set[str] = set()
    code = lang[:2]
    paths = [SPELLING / f"{code}.txt", *SPELLING.glob(f"{code}-*.txt")]
    if lang != code:
        paths += [SPELLING / f"{lang}.txt", *SPELLING.glob(f"{lang}-*.txt")]
    for path in sorted(p for p in paths if p.is_file()):
        words.update(w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())
    if lang == "de_CH":  # Swiss German writes the same words with ss
        words = {w.replace("ß", "ss") for w in words}
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", suffix=f".{lang}.dic", delete=False
    ) as handle:
        handle.write("\n".join(sorted(words)) + "\n")
    return Path(handle.name)


def misspelled(text: str, lang: str) -> list[str]:
    """Return the words hunspell does not know, after the project word list."""
    # hunspell's dictionaries spell contractions with ' ("I've"); the texts print ’ ("I’ve").
    text = text.replace("’", "'")
    cleaned = re.sub(r"\S+@\S+|https?://\S+|\d{4}-\d{2}-\d{2}", " ", text)
    cleaned = re.sub(r"(?m)^\s*[-*]\s", " ", cleaned.replace("\\", " "))
    cleaned = re.sub(r"(?m)^[=-]+$", " ", cleaned)  # heading underlines in plain-text documents
    words = _word_list(lang)
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    result = subprocess.run(
        ["hunspell", "-i", "utf-8", "-d", DICTIONARIES[lang], "-p", str(words), "-l"],
        input=cleaned,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=True,
    )
    return sorted(set(result.stdout.split()))
