"""Speed of the Dutch sparse encoder on synthetic passages and questions.

    .venv/bin/python bench/sparse_speed.py [--passages 2000] [--words 150]

Passages are random Dutch municipal prose (seeded, so runs compare): function words,
inflected nouns and verbs, compounds glued from two nouns (a vocabulary of several
thousand words, as a real corpus has), hyphenated words, "nota's", amounts and years.
"Cold" runs with an empty term cache (a fresh process ingesting), "warm" with the cache
filled (a long-running server).
"""

import argparse
import random
import time

from core.dutch.analysis import _term
from core.index.sparse import SparseEncoder

FUNCTION_TEXT = "de het een van en in op voor met door aan bij te om dat die is zijn wordt werd"
NOUN_TEXT = """
    gemeente vergadering besluit begroting jaarrekening bestuur raad schepen medewerker
    personeel afspraak nota overeenkomst subsidie project dienst brandweer hydrant brandkraan
    wijk school straat weg plan beleid regio afval water energie mobiliteit woning zorg
    welzijn cultuur sport jeugd verslag bedrag termijn voorstel advies dossier aanvraag
    vergunning reglement decreet artikel hoofdstuk bijlage overleg werking opvolging
"""
VERB_TEXT = """
    keurt goedgekeurd beslist besliste vergadert vergaderde betaalt betaalden levert
    geleverd onderhoudt onderhouden organiseert organiseerde bespreekt besproken
"""
ADJECTIVE_TEXT = "algemene lokale intergemeentelijke nieuwe jaarlijkse gedeelde financiële"
FUNCTION, NOUNS, VERBS, ADJECTIVES = (
    text.split() for text in (FUNCTION_TEXT, NOUN_TEXT, VERB_TEXT, ADJECTIVE_TEXT)
)
PLURAL = {"afspraak": "afspraken", "school": "scholen", "straat": "straten", "raad": "raden"}


def word(rng: random.Random) -> str:
    """One word of synthetic prose, drawn so that function words dominate as in Dutch."""
    kind = rng.random()
    if kind < 0.40:
        return rng.choice(FUNCTION)
    if kind < 0.55:
        return rng.choice(VERBS)
    if kind < 0.62:
        return rng.choice(ADJECTIVES)
    if kind < 0.66:
        return str(rng.choice([2019, 2020, 2021, 2024, 8800, rng.randint(1, 99_999)]))
    if kind < 0.68:
        return f"{rng.choice(NOUNS)}-{rng.choice(NOUNS)}"
    if kind < 0.70:
        return f"{rng.choice(NOUNS)}nota's"
    noun = rng.choice(NOUNS) + (rng.choice(NOUNS) if rng.random() < 0.3 else "")
    return PLURAL.get(noun, noun + "en") if rng.random() < 0.3 else noun


def passage(rng: random.Random, words: int) -> str:
    return " ".join(word(rng) for _ in range(words)).capitalize() + "."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=2000)
    parser.add_argument("--words", type=int, default=150)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()

    rng = random.Random(7)
    passages = [passage(rng, args.words) for _ in range(args.passages)]
    queries = [passage(rng, rng.randint(4, 12)) for _ in range(args.queries)]
    encoder = SparseEncoder()

    for label in ("cold", "warm"):
        start = time.perf_counter()
        for i in range(0, len(passages), 64):  # batches, as QdrantVectorStore.add sends them
            encoder.encode_documents(passages[i : i + 64])
        seconds = time.perf_counter() - start
        print(f"passages ({label}): {len(passages) / seconds:8.0f} /s  ({seconds:.2f} s)")
        if label == "cold":
            print(f"distinct words analysed: {_term.cache_info().currsize}")

    start = time.perf_counter()
    for query in queries:
        encoder.encode_queries([query])  # one at a time, as a search sends it
    seconds = time.perf_counter() - start
    print(f"queries (warm):   {seconds / len(queries) * 1e6:8.1f} µs/query")


if __name__ == "__main__":
    main()
