"""Text analysis for the help-center assistant: folding, tokens, a light bilingual stemmer, shop-vocabulary
concepts and language detection. Pure and deterministic; the same analysis runs on FAQ entries and questions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from comptoir.care.vocabulary import CONCEPTS

_WORD = re.compile(r"[a-z0-9]+")
# French elisions (l'article, d'un, j'ai, qu'il, n'est…) and English clitics ('s, n't) are dropped.
_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|c|m|t|jusqu|lorsqu|puisqu)'(?=[a-z])")
_CLITIC = re.compile(r"'(?:s|t|re|ve|ll|d|m)\b")

STOPWORDS_EN = frozenset("""
a about above after again all am an and any are as at be been being before below between both but by can
could did do does doing down during each few for from further had has have having he her here hers him his
how i if in into is it its itself just me more most my myself no nor not now of off on once only or other
our ours out over own same she should so some such than that the their theirs them then there these they
this those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself please hello hi thanks thank dear still also get got im ive dont cant
wont didnt doesnt isnt hasnt havent shall may might must us one way want wanted like would need know
something anything thing things tell help question possible ok okay yes hey guys work works working
make makes find see go goes going come say says said let sell sells selling
""".split())

STOPWORDS_FR = frozenset("""
a au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me
meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un
une vos votre vous y est sont suis es etes etait ete ai as avons avez ont fait faire peut peux pouvez
puis dois doit devez comment quand quel quelle quels quelles quoi combien pourquoi ou bonjour merci svp
stp si ca cela ceci tout tous toute toutes tres plus moins deja encore aussi bien alors donc car voudrais
veux voulez souhaite souhaiterais aimerais il-y-a y-a chez marche fonctionne faites fais trouver voir
vendez vendre vend
""".split())

# Verbs that say little alone but tell apart close passages ("where do I *find* my tracking link", "do I *need*
# an account", "what do I *get*"): not stopwords, they count as low-signal words (vocabulary.LOW_SIGNAL).
WEAK_VERBS = frozenset("find trouver need know get got sell sells selling vendez vendre vend combien".split())
STOPWORDS = (STOPWORDS_EN | STOPWORDS_FR) - WEAK_VERBS
# Words that mark a language even when short (used only to guess the question's language).
_FRENCH_MARKERS = STOPWORDS_FR - STOPWORDS_EN - {"a", "on", "me", "as", "ont", "son", "est"}
_ENGLISH_MARKERS = STOPWORDS_EN - STOPWORDS_FR - {"a", "on", "me", "as", "son", "est"}


def fold(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes and e-mail spellings unified."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'").replace("‘", "'").replace("œ", "oe"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("e-mail", "email").replace("e mail", "email")
    return _CLITIC.sub("", _ELISION.sub("", text))


def words(text: str) -> list[str]:
    """The folded words of `text`, stopwords included (phrases and language detection need them)."""
    return _WORD.findall(fold(text))


_PLURALS = (("ies", "y"), ("eaux", "eau"), ("aux", "al"), ("eux", "eu"), ("oux", "ou"))
_SUFFIXES = tuple(sorted((
    "issements", "issement", "ements", "ement", "ations", "ation", "aisons", "aison", "ments", "ment",
    "ingly", "ings", "ing", "edly", "ed", "ees", "ee", "es", "er", "ez", "ly", "euse", "ive", "ique",
    "ables", "able", "ibles", "ible", "ites", "ite", "ity", "ness", "eur", "eurs", "ais", "ait", "ant",
), key=len, reverse=True))
_VOWELS = set("aeiouy")


@lru_cache(maxsize=50000)
def stem(word: str) -> str:
    """A light suffix stripper for English and French together: one function for both languages so that a
    phrasing in either language and a question in either language reduce alike ("refunded" → "refund",
    "remboursement"/"rembourser"/"remboursé" → "rembours"). Stripping runs until nothing changes, so that a
    word and its inflections meet ("ordered" → "order" → "ord", like "order"; "referring" like "refer")."""
    for _ in range(3):
        stripped = _strip(word)
        if stripped == word:
            break
        word = stripped
    return word


def _strip(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in _PLURALS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)] + replacement
            break
    else:
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and set(word[: -len(suffix)]) & _VOWELS:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]  # cancelled → cancell → cancel; shipping → shipp → ship
    return word


def _concept_tables():
    single: dict[str, set[str]] = {}
    phrases: dict[tuple[str, ...], set[str]] = {}
    for concept, terms in CONCEPTS.items():
        for term in terms:
            parts = tuple(words(term))
            if len(parts) == 1:
                single.setdefault(stem(parts[0]), set()).add(concept)
            elif parts:
                phrases.setdefault(tuple(stem(part) for part in parts), set()).add(concept)
    longest = max((len(key) for key in phrases), default=0)
    return ({key: frozenset(value) for key, value in single.items()},
            {key: frozenset(value) for key, value in phrases.items()}, longest)


_SINGLE_CONCEPTS, _PHRASE_CONCEPTS, _LONGEST_PHRASE = _concept_tables()


def lexicon_words() -> frozenset[str]:
    """Every folded word the concept lexicon knows: typo correction may aim at them too."""
    return frozenset(word for terms in CONCEPTS.values() for term in terms for word in words(term)
                     if word not in STOPWORDS)


def analyse(text: str, correct=None) -> list[frozenset[str]]:
    """The groups of index terms of `text`: one group per content word (its stem and the concepts it belongs
    to) and one per multi-word concept phrase ("money back", "pas reçu"). `correct` may map an unknown stem
    to a known one (typo tolerance); concept terms start with "~"."""
    folded = words(text)
    stems = [stem(word) for word in folded]
    groups: list[frozenset[str]] = []
    covered: set[int] = set()  # words inside a phrase count through the phrase only ("money back" is not "back")
    for size in range(_LONGEST_PHRASE, 1, -1):
        for start in range(len(stems) - size + 1):
            if covered.intersection(range(start, start + size)):
                continue
            concepts = _PHRASE_CONCEPTS.get(tuple(stems[start : start + size]))
            if concepts:
                groups.append(frozenset(f"~{concept}" for concept in concepts))
                covered.update(range(start, start + size))
    for position, (word, word_stem) in enumerate(zip(folded, stems)):
        if word in STOPWORDS or position in covered:
            continue
        if correct is not None:
            word_stem = correct(word, word_stem)
        concepts = _SINGLE_CONCEPTS.get(word_stem, ())
        groups.append(frozenset({word_stem, *(f"~{concept}" for concept in concepts)}))
    return groups


def detect_language(text: str) -> str | None:
    """"fr" or "en" from function words and accents; None when the text gives no sign."""
    folded = words(text)
    french = sum(word in _FRENCH_MARKERS for word in folded)
    english = sum(word in _ENGLISH_MARKERS for word in folded)
    if re.search(r"[éèêàùçôîâû]", text.lower()):
        french += 1
    if french == english:
        return None
    return "fr" if french > english else "en"
