"""The assistant's text analysis and lexical retrieval (ALL-CARE-04): folding, stemming, concepts, typos,
language detection and the no-answer threshold. Pure: no database."""

from comptoir.care.retrieval import Index, Passage
from comptoir.care.text import analyse, detect_language, fold, stem

PASSAGES = [
    Passage("refund-time", {"en": "How long does a refund take?", "fr": "Combien de temps prend un remboursement ?"},
            {"en": "Refunds reach your card within 14 days.", "fr": "Le remboursement arrive sous 14 jours."}),
    Passage("return-item", {"en": "How do I return an item?", "fr": "Comment retourner un article ?"},
            {"en": "Declare the return in your account.", "fr": "Déclarez le retour dans votre compte."},
            ("send something back",)),
    Passage("track-parcel", {"en": "How can I track my parcel?", "fr": "Comment suivre mon colis ?"},
            {"en": "Use the tracking link of the shipping e-mail.", "fr": "Utilisez le lien de suivi."}),
]
INDEX = Index(PASSAGES)


def test_folding_removes_accents_elisions_and_unifies_email():
    assert fold("L’échange d'un E-mail") == "echange un email"


def test_stemmer_reduces_both_languages_alike():
    assert stem("refunded") == stem("refunds") == stem("refund")
    assert stem("remboursement") == stem("rembourser") == stem("remboursé".replace("é", "e"))
    assert stem("cancelled") == stem("cancel")
    assert stem("ordered") == stem("order") == stem("orders")
    assert stem("referring") == stem("refer") == stem("referred")


def test_concepts_join_words_and_phrases_across_languages():
    assert "~refund" in set().union(*analyse("I want my money back"))
    assert "~refund" in set().union(*analyse("remboursement"))
    assert "~late" in set().union(*analyse("colis pas reçu"))


def test_language_detection_from_function_words():
    assert detect_language("je veux renvoyer un pull") == "fr"
    assert detect_language("where is my parcel") == "en"
    assert detect_language("remboursement") is None


def test_a_paraphrase_finds_the_passage_first():
    assert INDEX.search("when do I get my money back").hits[0].passage.id == "refund-time"


def test_a_french_question_meets_the_english_phrasing_through_concepts():
    assert INDEX.search("je veux renvoyer un pull").hits[0].passage.id == "return-item"


def test_a_typo_is_tolerated():
    assert INDEX.search("how do I trak my parcell").hits[0].passage.id == "track-parcel"


def test_a_question_the_passages_do_not_answer_is_not_answered():
    result = INDEX.search("do you sell perfume?")
    assert not result.answered and result.shown() == []


def test_confidence_is_between_0_and_1_and_answered_above_the_threshold():
    result = INDEX.search("how long does a refund take")
    assert result.answered and 0.3 <= result.hits[0].confidence <= 1


def test_a_match_on_low_signal_words_only_is_not_an_answer():
    index = Index([Passage("wash-bag", {"en": "Why use a mesh wash bag?"}, {"en": "It catches microfibres."})])
    assert not index.search("do you sell bags").answered
    assert index.search("why wash in a mesh bag").answered


def test_a_known_word_is_never_typo_corrected_into_another():
    index = Index([Passage("shops", {"en": "Where are your shops?"}, {"en": "In Paris."})])
    assert not index.search("do you sell shoes").answered
