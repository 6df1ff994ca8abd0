# ruff: noqa: E501  (demo wording, one sentence a line)
"""Demo library (embedded default only): a short breathing course and a sleep document, each in
English, Spanish, Swedish and Albanian (the others point to the English one as its
translation), published. Text only, so no files are needed. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

COURSE: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "en": (
        "Calm breathing in three steps",
        "A short course to slow down when worry speeds you up.",
        [
            ("Why breathing helps", "When we are anxious we breathe fast and high. **Slow breathing** tells the body it is safe."),
            ("Box breathing", "Breathe in for 4, hold for 4, out for 4, hold for 4. Repeat four times."),
            ("Making it a habit", "Pick one moment each day, such as before lunch, and practise for two minutes."),
        ],
    ),
    "es": (
        "Respiración tranquila en tres pasos",
        "Un curso breve para bajar el ritmo cuando la preocupación te acelera.",
        [
            ("Por qué ayuda respirar", "Con ansiedad respiramos rápido y alto. **Respirar despacio** le dice al cuerpo que está a salvo."),
            ("Respiración cuadrada", "Inspira contando 4, retén 4, espira 4, retén 4. Repítelo cuatro veces."),
            ("Convertirlo en hábito", "Elige un momento cada día, por ejemplo antes de comer, y practica dos minutos."),
        ],
    ),
    "sv": (
        "Lugn andning i tre steg",
        "En kort kurs för att sakta ner när oron drar i väg.",
        [
            ("Varför andningen hjälper", "När vi är oroliga andas vi snabbt och högt upp. **Lugn andning** säger till kroppen att den är trygg."),
            ("Fyrkantsandning", "Andas in på 4, håll 4, andas ut på 4, håll 4. Upprepa fyra gånger."),
            ("Gör det till en vana", "Välj en stund varje dag, till exempel före lunch, och öva i två minuter."),
        ],
    ),
    "sq": (
        "Frymëmarrje e qetë në tre hapa",
        "Një kurs i shkurtër për t'u qetësuar kur shqetësimi ju përshpejton.",
        [
            ("Pse ndihmon frymëmarrja", "Kur jemi në ankth marrim frymë shpejt dhe lart. **Frymëmarrja e ngadaltë** i thotë trupit se është i sigurt."),
            ("Frymëmarrja në katror", "Merrni frymë për 4, mbajeni 4, nxirreni për 4, mbajeni 4. Përsëriteni katër herë."),
            ("Ta bëni zakon", "Zgjidhni një moment çdo ditë, p.sh. para drekës, dhe ushtrohuni dy minuta."),
        ],
    ),
}  # fmt: skip

DOCUMENT: dict[str, tuple[str, str, str]] = {
    "en": ("Sleep tips", "Small changes for better nights.", "- Go to bed and get up at the same time.\n- Keep screens out of bed.\n- If you lie awake for long, get up for a while."),
    "es": ("Consejos para dormir", "Pequeños cambios para dormir mejor.", "- Acuéstate y levántate a la misma hora.\n- Deja las pantallas fuera de la cama.\n- Si llevas mucho rato despierto, levántate un rato."),
    "sv": ("Sömnråd", "Små ändringar för bättre nätter.", "- Gå och lägg dig och stig upp på samma tid.\n- Håll skärmar borta från sängen.\n- Ligger du vaken länge, gå upp en stund."),
    "sq": ("Këshilla për gjumin", "Ndryshime të vogla për net më të mira.", "- Shtrihuni dhe zgjohuni në të njëjtën orë.\n- Mbajini ekranet larg shtratit.\n- Nëse rrini zgjuar gjatë, ngrihuni për pak kohë."),
}  # fmt: skip


def seed(stdout: Any) -> None:
    from confide.library.models import Item, Module

    if Item.objects.filter(title=COURSE["en"][0]).exists():
        return
    now = timezone.now()
    published = {"status": Item.Status.PUBLISHED, "published_at": now}
    course_en = doc_en = None
    for language, (title, summary, modules) in COURSE.items():
        course = Item.objects.create(
            kind=Item.Kind.COURSE,
            language=language,
            translation_of=course_en,
            title=title,
            summary=summary,
            **published,
        )
        course_en = course_en or course
        for position, (name, body) in enumerate(modules, start=1):
            Module.objects.create(
                item=course, position=position, kind=Module.Kind.TEXT, title=name, body=body
            )
    for language, (title, summary, body) in DOCUMENT.items():
        doc = Item.objects.create(
            kind=Item.Kind.DOCUMENT,
            language=language,
            translation_of=doc_en,
            title=title,
            summary=summary,
            body=body,
            **published,
        )
        doc_en = doc_en or doc
    stdout.write("library: a course and a document in 4 languages")
