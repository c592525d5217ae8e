"""The vectorised scorer (scoring.py) gives the one-pair rules' numbers (matcher.part_similarity,
matcher.score_names) for every candidate, and the search built on it reports what scoring every
candidate one by one would report."""

import random
from itertools import combinations

import numpy as np
import pytest

from borderpost.screening import index as postings
from borderpost.screening.matcher import (
    Match,
    NameIndex,
    WatchEntry,
    adjust_for_facts,
    part_similarity,
    score_names,
)
from borderpost.screening.normalise import parse
from borderpost.screening.scoring import PartFeatures, part_matrix
from borderpost.screening.translit import lexicon_rows

ROWS = lexicon_rows()
ODD = ["Zorbaq", "Иван", "Krzysztof", "Abdfl", "Ng", "Amar", "Hamed", "Saleh", "Salem"]


def _word(rng: random.Random, arabic: bool) -> str:
    _, ar, latin = rng.choice(ROWS)
    if arabic:
        return rng.choice(ar)
    roll = rng.random()
    if roll < 0.08:
        return rng.choice(ODD)
    if roll < 0.16:
        return f"Abd al-{rng.choice(latin)}"
    if roll < 0.2:
        return f"Abu {rng.choice(latin)}"
    if roll < 0.25:
        return rng.choice(latin)[:-1] + "x"  # a typo
    return rng.choice(latin).capitalize()


def _name(rng: random.Random) -> str:
    arabic = rng.random() < 0.25
    words = [_word(rng, arabic) for _ in range(rng.choice([1, 2, 3, 3, 4, 4, 5]))]
    if len(words) > 1 and rng.random() < 0.5:
        words[-1] = ("ال" if arabic else "al-") + words[-1].lower()
    if rng.random() < 0.15:
        words.insert(0, words[0])  # Muhammad Muhammad ...
    return " ".join(words)


def _query(rng: random.Random, listed: list[str]) -> str:
    if rng.random() < 0.4:
        return _name(rng)
    words = rng.choice(listed).split()
    if len(words) > 2 and rng.random() < 0.4:
        words = words[-1:] + words[:-1]  # surname first
    if len(words) > 2 and rng.random() < 0.3:
        del words[rng.randrange(1, len(words))]
    if rng.random() < 0.3:
        i = rng.randrange(len(words))
        words[i] = _word(rng, False)  # another name in one place
    return " ".join(words).upper() if rng.random() < 0.3 else " ".join(words)


@pytest.fixture(scope="module")
def world() -> tuple[NameIndex, list[str]]:
    rng = random.Random(16)
    listed = [_name(rng) for _ in range(400)]
    entries = []
    for n in range(0, len(listed), 2):
        born = rng.choice([None, "1970", f"19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{n % 10}"])
        entries.append(
            WatchEntry(
                f"E{n}",
                "test",
                listed[n],
                (listed[n + 1],),
                born,
                rng.choice([None, "IRQ", "SYR"]),
                rng.choice([None, "M", "F"]),
            )
        )
    queries = [_query(rng, listed) for _ in range(300)]
    queries += ["Muhammad Muhammad Ammar", "AMMAR MUHAMMAD MUHAMMAD", "Ali Hassan Ali Hassan"]
    return NameIndex.build(entries), queries


def test_part_matrix_is_part_similarity_for_every_pair(world):
    index, queries = world
    listed = index._features
    for start in range(0, len(queries), 25):
        query_parts = [p for q in queries[start : start + 25] for p in parse(q)]
        keys = [-1 - i for i in range(len(query_parts))]  # no skeleton shared by number
        for i, p in enumerate(query_parts):
            k = index._postings.key_id(p.coarse, create=False)
            keys[i] = keys[i] if k is None else k
        got = part_matrix(PartFeatures.of(query_parts, keys), listed, np.arange(len(index._parts)))
        want = [[part_similarity(q, a)[0] for a in index._parts] for q in query_parts]
        assert got.tolist() == want


def test_name_scores_are_score_names_for_every_candidate(world):
    index, queries = world
    exact = 0
    for q in queries:
        query = parse(q)
        found = index._postings.candidates([p.coarse for p in query])
        if not len(found):
            continue
        scores, needs_exact = index._name_scores(query, found)
        for alias, score, flagged in zip(found.tolist(), scores, needs_exact, strict=True):
            if flagged:  # crossed pairs that score_names uncrosses: it scores these itself
                exact += 1
                continue
            want = score_names(query, index._alias_parts(alias), explain=False)[0]
            assert score == pytest.approx(want, abs=1e-12), (q, index._alias_text[alias])
    assert exact >= 1  # Muhammad Muhammad Ammar written surname first


def _one_by_one(index: NameIndex, name: str, threshold: float, **facts) -> list[Match]:
    """The search as it was before the scoring was vectorised: every candidate scored alone."""
    query = parse(name)
    best: dict[int, Match] = {}
    for alias in index._postings.candidates([p.coarse for p in query]).tolist():
        entry_no = index._alias_entry[alias]
        entry = index._entries[entry_no]
        score, why = score_names(query, index._alias_parts(alias))
        lines = list(why)
        score = adjust_for_facts(
            score,
            lines,
            q_birth=facts.get("birth_date"),
            a_birth=entry.birth_date,
            q_nat=facts.get("nationality"),
            a_nat=entry.nationality,
            q_sex=facts.get("sex"),
            a_sex=entry.sex,
        )
        if score >= threshold and (entry_no not in best or best[entry_no].score < score):
            best[entry_no] = Match(
                entry.entry_id,
                entry.list_name,
                entry.name,
                index._alias_text[alias],
                round(score, 4),
                tuple(lines),
            )
    return sorted(best.values(), key=lambda m: -m.score)[:10]


@pytest.mark.parametrize("threshold", [0.0, 0.5, 0.7, 0.85])
def test_search_reports_what_one_by_one_scoring_reports(world, threshold):
    index, queries = world
    rng = random.Random(threshold)
    reported = 0
    for q in queries:
        facts = {
            "birth_date": rng.choice([None, "1970", "1970-01-10", "1985-03-11"]),
            "nationality": rng.choice([None, "IRQ", "JOR"]),
            "sex": rng.choice([None, "M", "F"]),
        }
        got = index.search(q, threshold=threshold, **facts)
        assert got == _one_by_one(index, q, threshold, **facts), q
        reported += len(got)
    assert reported > 20


def test_postings_are_each_key_each_pair_and_the_whole_set(world):
    index, _ = world
    want = []
    for alias in range(len(index)):
        keys = sorted(
            {index._postings.key_id(p.coarse, create=False) for p in index._alias_parts(alias)}
        )
        want += [postings._code(k, k) | alias for k in keys]
        want += [postings._code(a, b) | alias for a, b in combinations(keys, 2)]
        want.append(postings._fullset_code(keys) | alias)
    assert index._postings._codes.tolist() == sorted(want)
