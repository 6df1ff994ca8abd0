"""Translation catalog helper.

po_tool.py extract              makemessages for every app, into <app>/locale
po_tool.py fill-english         English catalogs: msgstr = msgid (our source language)
po_tool.py apply LANG FILE.json merge {"msgid": "msgstr", ...} into every app's LANG catalog
                                (a plural entry takes a list of forms; the last one fills
                                any further form the language has)
po_tool.py missing [LANG]       list untranslated, fuzzy or short-of-plural-forms entries
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import polib

_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")

ROOT = Path(__file__).resolve().parent.parent
APPS_ROOT = ROOT / "confide"
LANGUAGES = ["en", "es", "sv", "sq"]


def plural_count(catalog: polib.POFile) -> int:
    """How many plural forms the language has (Spanish: three, the third for round millions)."""
    found = _NPLURALS.search(catalog.metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found else 2


def short_plurals(catalog: polib.POFile) -> list[polib.POEntry]:
    """Plural entries with fewer forms than the language needs: gettext falls back to English
    for the missing form (e.g. Spanish "5 years" used the absent third form)."""
    needed = plural_count(catalog)
    return [
        entry
        for entry in catalog
        if entry.msgid_plural
        and not entry.obsolete
        and sum(1 for form in range(needed) if entry.msgstr_plural.get(form)) < needed
    ]


def app_dirs() -> list[Path]:
    return sorted(path.parent for path in APPS_ROOT.rglob("apps.py"))


def catalogs(language: str | None = None, only: list[Path] | None = None) -> list[Path]:
    pattern = f"locale/{language or '*'}/LC_MESSAGES/django.po"
    found = sorted(APPS_ROOT.rglob(pattern))
    if only:
        roots = [path.resolve() for path in only]
        found = [path for path in found if path.resolve().parents[3] in roots]
    return found


def extract(only: list[Path] | None = None) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "confide.settings", "PYTHONPATH": str(ROOT)}
    apps = app_dirs()
    chosen = [path.resolve() for path in only] if only else apps
    for app in apps:
        if app.resolve() not in chosen:
            continue
        nested = [other for other in apps if other != app and app in other.parents]
        ignores = ["-i", "migrations/*", "-i", "locale/*"]
        for other in nested:
            ignores += ["-i", f"{other.relative_to(app)}/*"]
        has_strings = (
            subprocess.run(
                ["grep", "-rqE", r"gettext|translate|blocktranslate|_\(", str(app)], check=False
            ).returncode
            == 0
        )
        if not has_strings:
            continue
        (app / "locale").mkdir(exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "--no-obsolete",
            "--add-location",
            "file",
            "-v",
            "0",
            *ignores,
        ]
        for language in LANGUAGES:
            command += ["-l", language]
        subprocess.run(command, cwd=app, env=env, check=True)


def fill_english() -> None:
    for path in catalogs("en"):
        catalog = polib.pofile(str(path))
        for entry in catalog:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        catalog.save()


def apply(language: str, source: Path, only: list[Path] | None = None) -> None:
    translations: dict[str, str | list[str]] = json.loads(source.read_text(encoding="utf-8"))
    used: set[str] = set()
    for path in catalogs(language, only):
        catalog = polib.pofile(str(path))
        for entry in catalog:
            value = translations.get(entry.msgid)
            if value is None:
                continue
            used.add(entry.msgid)
            if entry.msgid_plural:
                forms = list(value) if isinstance(value, list) else [value, value]
                # The last form given stands for any further form the language has.
                forms += [forms[-1]] * (plural_count(catalog) - len(forms))
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value if isinstance(value, str) else value[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        catalog.save()
    unused = set(translations) - used
    if unused:
        print(f"{len(unused)} translations matched no entry, e.g. {sorted(unused)[:3]}")


def missing(language: str | None) -> int:
    count = 0
    for path in catalogs(language):
        catalog = polib.pofile(str(path))
        gaps = catalog.untranslated_entries() + catalog.fuzzy_entries() + short_plurals(catalog)
        for entry in gaps:
            print(f"{path.relative_to(ROOT)}\t{entry.msgid}")
            count += 1
    return count


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, *rest = argv
    if command == "extract":
        extract([Path(p) for p in rest] or None)
    elif command == "fill-english":
        fill_english()
    elif command == "apply" and len(rest) >= 2:
        apply(rest[0], Path(rest[1]), [Path(p) for p in rest[2:]] or None)
    elif command == "missing":
        return 1 if missing(rest[0] if rest else None) else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
