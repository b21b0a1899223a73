"""The hybrid ranking of the assistant (care.hybrid, ALL-CARE-04): lexical confidence plus dense cosine, for the
order and for "no answer", and the COMPTOIR_ASSISTANT_DENSE setting. Pure: the dense side is a stand-in giving
fixed cosines, so these run without the optional extra."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from comptoir.care import hybrid
from comptoir.care.hybrid import ANSWER_FROM, HybridIndex, check_dense_setting, dense_enabled, hybrid_confidence
from comptoir.care.retrieval import Index, Passage

PASSAGES = [
    Passage("refund-time", {"en": "How long does a refund take?"}, {"en": "Refunds reach your card within 14 days."}),
    Passage("track-parcel", {"en": "How can I track my parcel?"}, {"en": "Use the tracking link of the e-mail."},
            ("where is my package",)),
    Passage("student-card", {"en": "Student card offer"}, {"en": "Show your card in store."}),
]
LEXICAL = Index(PASSAGES)


class FixedCosines:
    """Stands in for the encoder's passage vectors: the same cosines whatever the question."""

    def __init__(self, cosines):
        self.cosines = cosines

    def best_cosines(self, question):
        return list(self.cosines)


def search(question, cosines):
    return HybridIndex(LEXICAL, FixedCosines(cosines)).search(question)


def test_ALL_CARE_04_a_question_sharing_no_word_with_the_faq_is_answered_when_its_meaning_is_close():
    assert not LEXICAL.search("has my stuff been dispatched yet").answered

    result = search("has my stuff been dispatched yet", [0.2, 0.85, 0.1])

    assert result.answered and [hit.passage.id for hit in result.shown()][0] == "track-parcel"


def test_ALL_CARE_04_a_lexical_match_on_a_few_words_is_refused_when_the_meaning_is_far():
    assert LEXICAL.search("is there a student discount").answered  # "student" alone matches

    result = search("is there a student discount", [0.1, 0.05, 0.3])

    assert not result.answered and result.shown() == []


def test_ALL_CARE_04_a_confident_lexical_match_is_answered_with_a_middling_cosine():
    result = search("how long does a refund take", [0.35, 0.1, 0.0])

    assert result.answered and result.hits[0].passage.id == "refund-time"


def test_ALL_CARE_04_the_meaning_reorders_passages_the_words_rank_alike():
    result = search("refund or tracking", [0.3, 0.7, 0.0])

    assert [hit.passage.id for hit in result.hits[:2]] == ["track-parcel", "refund-time"]


def test_ALL_CARE_04_hybrid_confidence_is_between_0_and_1_and_answers_from_its_threshold():
    assert hybrid_confidence(0.0, -0.4) == 0.0 and hybrid_confidence(1.0, 1.0) == 1.0
    assert hybrid_confidence(0.0, 0.77) >= ANSWER_FROM > hybrid_confidence(0.0, 0.76)
    assert hybrid_confidence(0.3, 0.57) >= ANSWER_FROM > hybrid_confidence(0.3, 0.56)


def test_ALL_CARE_04_passages_far_from_the_question_are_not_hits_at_all():
    result = search("xylophone lessons", [0.2, 0.1, 0.3])

    assert result.hits == []  # the help center's search box lists nothing rather than three random entries


def test_ALL_CARE_04_an_empty_question_has_no_answer():
    result = search("   ", [0.9, 0.9, 0.9])

    assert not result.answered and result.hits == []


@pytest.mark.parametrize("mode, installed, enabled", [
    ("auto", True, True), ("auto", False, False), ("on", True, True), ("off", True, False), ("off", False, False),
])
def test_ALL_CARE_04_dense_vectors_are_used_as_the_setting_and_the_install_say(settings, monkeypatch, mode,
                                                                              installed, enabled):
    settings.ASSISTANT_DENSE = mode
    monkeypatch.setattr(hybrid, "dense_installed", lambda: installed)

    assert dense_enabled() is enabled


def test_ALL_CARE_04_dense_on_without_the_extra_stops_at_start_up_saying_what_to_install(settings, monkeypatch):
    settings.ASSISTANT_DENSE = "on"
    monkeypatch.setattr(hybrid, "dense_installed", lambda: False)
    monkeypatch.setattr(hybrid, "EXTRA_MODULES", ("numpy", "no_such_module_for_comptoir"))

    with pytest.raises(ImproperlyConfigured, match=r"missing \(no_such_module_for_comptoir\): run make install"):
        check_dense_setting()


def test_ALL_CARE_04_an_unknown_dense_mode_stops_at_start_up(settings):
    settings.ASSISTANT_DENSE = "yes"

    with pytest.raises(ImproperlyConfigured, match="auto, on, off"):
        check_dense_setting()


@pytest.mark.parametrize("mode", ["auto", "off"])
def test_ALL_CARE_04_auto_and_off_start_without_the_extra(settings, monkeypatch, mode):
    settings.ASSISTANT_DENSE = mode
    monkeypatch.setattr(hybrid, "dense_installed", lambda: False)

    check_dense_setting()
