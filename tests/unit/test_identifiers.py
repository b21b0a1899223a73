"""Time-ordered identifiers (core.identifiers): ordered by instant, version 7, random beyond the instant."""

import random
import uuid
from datetime import datetime, timedelta, timezone

from comptoir.core.identifiers import uuid7

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_ids_follow_their_instant_and_are_version_7():
    ids = [uuid7(T0 + timedelta(milliseconds=n)) for n in range(0, 50, 5)]

    assert ids == sorted(ids)
    assert {value.version for value in ids} == {7} and {value.variant for value in ids} == {uuid.RFC_4122}
    assert ids[0].int >> 80 == int(T0.timestamp() * 1000)


def test_ids_of_one_instant_differ_by_74_random_bits():
    ids = {uuid7(T0) for _ in range(1000)}

    assert len(ids) == 1000
    assert len({value.int >> 80 for value in ids}) == 1


def test_a_seeded_generator_gives_the_same_ids():
    first = [uuid7(T0, rng=random.Random(3)) for _ in range(2)]
    again = [uuid7(T0, rng=random.Random(3)) for _ in range(2)]

    assert first == again
