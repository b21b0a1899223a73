"""The assistant's dense sentence encoder (care.embeddings, ALL-CARE-04): all-MiniLM-L6-v2 on numpy. Skipped
without the optional extra. The full comparison with PyTorch is benchmarks/assistant_encoder_check.py; here a
few of its reference values are pinned."""

import pytest

SENTENCES = ["my parcel never showed up", "je veux renvoyer un pull", "how do I return an item"]


def cosine(left, right):
    return float(left @ right)


def test_ALL_CARE_04_vectors_have_the_models_dimension_and_unit_length(sentence_encoder):
    import numpy

    vectors = sentence_encoder.encode(SENTENCES)

    assert vectors.shape == (3, 384) and vectors.dtype == numpy.float32
    assert numpy.allclose(numpy.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert sentence_encoder.encode([]).shape == (0, 384)


def test_ALL_CARE_04_vectors_match_the_reference_implementation(sentence_encoder):
    import numpy

    vectors = sentence_encoder.encode(SENTENCES[:2])

    # The first six components from sentence-transformers on PyTorch (benchmarks/assistant_encoder_check.py).
    assert numpy.allclose(vectors[0, :6], [0.005006, -0.034889, 0.082448, -0.004003, 0.048082, -0.007938], atol=2e-5)
    assert numpy.allclose(vectors[1, :6], [-0.091143, 0.045319, 0.03089, -0.059781, -0.007294, 0.061724], atol=2e-5)


def test_ALL_CARE_04_encoding_is_deterministic_alone_or_in_a_padded_batch(sentence_encoder):
    import numpy

    alone = sentence_encoder.encode([SENTENCES[0]])
    again = sentence_encoder.encode([SENTENCES[0]])
    batch = sentence_encoder.encode([SENTENCES[0], "a much longer sentence that makes the first one padded " * 3])

    assert numpy.array_equal(alone, again)
    assert numpy.allclose(alone[0], batch[0], atol=1e-5)


@pytest.mark.parametrize("question, close, far", [
    ("my parcel never showed up", "I did not receive my package", "How do I use a discount code?"),
    ("where is my refund", "When will I get my money back?", "Do you ship to Canada?"),
    ("je veux renvoyer un pull", "Comment retourner un article ?", "Quels moyens de paiement acceptez-vous ?"),
])
def test_ALL_CARE_04_similar_sentences_are_closer_than_unrelated_ones(sentence_encoder, question, close, far):
    vectors = sentence_encoder.encode([question, close, far])

    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.1


def test_ALL_CARE_04_a_passage_scores_its_closest_view(sentence_encoder):
    vectors = sentence_encoder.passage_vectors([["How can I track my parcel?", "where is my package"],
                                                ["Which payment methods do you accept?"], []])

    cosines = vectors.best_cosines("where is my parcel")

    assert len(cosines) == 3 and cosines[0] > cosines[1] and cosines[2] == -1.0


def test_ALL_CARE_04_stored_passage_vectors_are_read_back_instead_of_encoded(sentence_encoder, tmp_path,
                                                                            monkeypatch):
    import numpy

    from comptoir.care.embeddings import VectorStore

    texts = [f"{sentence} ({tmp_path.name})" for sentence in SENTENCES]  # never encoded before in this process
    monkeypatch.setattr(sentence_encoder, "store", VectorStore(tmp_path / "vectors"))
    written = sentence_encoder.encode_passages(texts)
    monkeypatch.setattr(sentence_encoder, "_known", {})  # as in another process
    monkeypatch.setattr(sentence_encoder, "encode", lambda texts: pytest.fail(f"encoded again: {texts}"))

    assert numpy.array_equal(sentence_encoder.encode_passages(texts), written)
    assert len(list((tmp_path / "vectors").glob("*.npy"))) == 3


def test_ALL_CARE_04_a_damaged_stored_vector_is_ignored(sentence_encoder, tmp_path):
    import numpy

    from comptoir.care.embeddings import VectorStore

    store = VectorStore(tmp_path)
    store.put("hello", numpy.ones(384, dtype=numpy.float32))
    assert store.get("hello", 384) is not None
    next(tmp_path.glob("*.npy")).write_bytes(b"not a vector")

    assert store.get("hello", 384) is None
