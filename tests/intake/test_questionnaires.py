import pytest

from confide.intake import engine
from confide.intake.models import Questionnaire

LANGS = ("en", "es", "sv", "sq")


def answers(prefix, count, values):
    return {f"{prefix}_{i + 1}": v for i, v in enumerate(values[:count])}


@pytest.mark.promise("INTAKE-1")
@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands(db, total, band):
    defn = engine.definition("phq9")
    values = [min(3, max(0, total - 3 * i)) for i in range(9)]
    assert sum(values) == total
    assert engine.score(defn, answers("phq9", 9, values)) == {"score": total, "band": band}


@pytest.mark.promise("INTAKE-1")
@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands(db, total, band):
    defn = engine.definition("gad7")
    values = [min(3, max(0, total - 3 * i)) for i in range(7)]
    assert engine.score(defn, answers("gad7", 7, values)) == {"score": total, "band": band}


def test_definitions_are_data_complete_in_four_languages(db):
    engine.ensure_definitions()  # a transactional test before us may have flushed the table
    keys = set(Questionnaire.objects.values_list("key", flat=True))
    assert {"intake_reason", "intake_preferences", "intake_location", "phq9", "gad7"} <= keys
    assert engine.flow()[-2:] == ["phq9", "gad7"]
    for q in Questionnaire.objects.all():
        data = q.definition
        assert set(data["title"]) == set(LANGS)
        for item in data["items"]:
            assert set(item["text"]) == set(LANGS), item["id"]
            for option in engine.Definition(q.key, q.version, data).options(item):
                assert set(option["label"]) == set(LANGS)
        for band in data.get("scoring", {}).get("bands", []):
            assert set(band["label"]) == set(LANGS)
    assert len(engine.definition("phq9").items) == 9
    assert len(engine.definition("gad7").items) == 7


@pytest.mark.promise("INTAKE-1")
def test_crisis_rule_fires_on_positive_item_nine_or_self_report(db):
    phq9 = engine.definition("phq9")
    calm = answers("phq9", 9, [3] * 8 + [0])
    assert engine.risks(phq9, calm) == []
    for value in (1, 2, 3):
        assert engine.risks(phq9, {**calm, "phq9_9": value}) == ["phq9_item9"]
    reason = engine.definition("intake_reason")
    assert engine.risks(reason, {"reason": ["anxiety"], "danger": "no"}) == []
    assert engine.risks(reason, {"reason": ["anxiety"], "danger": "yes"}) == ["self_report"]


def test_form_validates_and_translates(db):
    defn = engine.definition("phq9")
    form = engine.build_form(defn, "sv", {"phq9_1": "7"})
    assert not form.is_valid()
    assert "phq9_1" in form.errors and "phq9_2" in form.errors
    assert form.fields["phq9_1"].label == "Lite intresse eller glädje i att göra saker"
