"""Matching: the variant families that must match, the pairs that must not."""

from datetime import date

import pytest

from borderpost.screening.matcher import DEFAULT_THRESHOLD, Match, NameIndex, WatchEntry
from borderpost.screening.normalise import resolve_latin
from borderpost.screening.translit import DISTINCT_NAMES, lexicon_rows

LISTED = WatchEntry(
    "W1",
    "test",
    "Abdulrahman Kadhim Hassan al-Jubouri",
    ("عبد الرحمن كاظم حسن الجبوري",),
    "1975-03-02",
    "IRQ",
)
OTHERS = [
    WatchEntry("W2", "test", "Khalid Salih Hussein al-Tikriti", (), "1980", "IRQ"),
    WatchEntry("W3", "test", "Yasir Jasim Mahmoud al-Dulaimi", ("Yaser Jassim Mahmood Aldulaimi",)),
    WatchEntry("W4", "test", "Mohammed Ali", ()),
]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex.build([LISTED, *OTHERS])


def ids(matches: list[Match]) -> list[str]:
    return [m.entry_id for m in matches]


@pytest.mark.parametrize(
    "query",
    [
        "Abdulrahman Kadhim Hassan al-Jubouri",  # as listed
        "Abd al-Rahman Kazim Hasan al-Juburi",  # transliteration variants
        "Abdel Rahman Kathem Hasan Al Jabouri",
        "ABDURRAHMAN KADHEM HASSAN ALJUBOORI",
        "عبدالرحمن كاظم حسن الجبوري",  # Arabic script, compound joined
        "عَبْد الرَّحْمَن كاظم حسن الجبوري",  # with harakat
        "ALJUBOURI ABDULRAHMAN KADHIM HASSAN",  # surname first (MRZ)
        "ALJUBOURI ABDULRAHMAN KADHIM",  # surname first, grandfather dropped
        "Abdulrahman Kadhim al-Jubouri",  # dropped middle name
        "Abdulrahman Kadhim Hassan Jubouri",  # dropped "al"
        "Abdulrahman Kadhim Hassan al-Jubpuri",  # one-letter typo
        "Abdulrahman Kadhom Hassan al-Jubouri",
    ],
)
def test_variant_families_match(index, query):
    assert ids(index.search(query))[:1] == ["W1"], index.search(query, threshold=0)


@pytest.mark.parametrize(
    "query",
    [
        "Abdulrahman Kadhim Hassan al-Tikriti",  # another family name: evidence against
        "Abdulrahman Kadhim Hassan al-Dulaimi",
        "Ahmed Kadhim Hassan al-Jubouri",  # a brother: another given name
        "Abdulrahman Karim Hassan al-Jubouri",  # Kazim/Karim look alike
        "Abdulrahman Kadhim Hussein al-Jubouri",  # Hassan/Hussein
        "Mohammed",  # a common name alone
        "Mohammed al-Jubouri",
        "Hassan Kadhim",
    ],
)
def test_hard_negatives_do_not_match(index, query):
    assert "W1" not in ids(index.search(query))


def test_dropped_middle_name_weighs_less_than_a_contradicting_one(index):
    dropped = index.search("Abdulrahman Hassan al-Jubouri", threshold=0)[0]
    contradicted = index.search("Abdulrahman Jasim Hassan al-Jubouri", threshold=0)[0]
    assert dropped.entry_id == contradicted.entry_id == "W1"
    assert dropped.score >= DEFAULT_THRESHOLD > contradicted.score


def test_given_names_order_matters_family_name_may_move(index):
    assert "W3" not in ids(index.search("Jasim Yasir Mahmoud al-Dulaimi"))
    assert "W3" in ids(index.search("ALDULAIMI YASIR JASIM MAHMOUD"))


PAIRS = sorted(tuple(sorted(p)) for p in DISTINCT_NAMES)
FILLER = "Munir Talib al-Tikriti"


def spelling(canon: str) -> str:
    """A Latin spelling that belongs to this name only, else its Arabic spelling."""
    for _canon, arabic, latin in lexicon_rows():
        if _canon == canon:
            return next((s for s in latin if resolve_latin(s)[0] == canon), arabic[0])
    raise KeyError(canon)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_look_alike_names_do_not_match(a, b):
    left, right = spelling(a), spelling(b)
    index = NameIndex.build([WatchEntry("L", "t", f"{left} {FILLER}")])
    assert index.search(f"{right} {FILLER}") == [], (left, right)
    assert index.search(f"{left} {FILLER}") != []  # the test can fail: same name does match


def test_exact_list_of_common_names_matches_only_when_complete(index):
    assert ids(index.search("Mohammed Ali")) == ["W4"]
    assert ids(index.search("Mohammed Ali Hassan al-Jubouri")) == []


def test_date_of_birth_moves_the_score(index):
    base = index.search("Abdulrahman al-Jubouri", threshold=0)[0].score
    same = index.search("Abdulrahman al-Jubouri", birth_date=date(1975, 3, 2), threshold=0)[0]
    year = index.search("Abdulrahman al-Jubouri", birth_date="1975-11-30", threshold=0)[0]
    other = index.search("Abdulrahman al-Jubouri", birth_date="1990-01-01", threshold=0)[0]
    assert other.score < base < year.score < same.score <= 1.0
    assert "date of birth agrees" in same.explanation


def test_nationality_moves_the_score(index):
    base = index.search("Abdulrahman al-Jubouri", threshold=0)[0].score
    same = index.search("Abdulrahman al-Jubouri", nationality="IRQ", threshold=0)[0].score
    other = index.search("Abdulrahman al-Jubouri", nationality="SYR", threshold=0)[0].score
    assert other < base < same


def test_scores_are_in_unit_interval_best_first_and_limited(index):
    matches = index.search(
        "Abdulrahman Kadhim Hassan al-Jubouri",
        birth_date="1975-03-02",
        nationality="IRQ",
        threshold=0,
        limit=2,
    )
    assert len(matches) <= 2
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_match_carries_alias_and_explanation(index):
    (m,) = index.search("عبدالرحمن كاظم حسن الجبوري")
    assert m.matched_alias in (LISTED.name, *LISTED.aliases)
    assert m.list_name == "test" and m.name == LISTED.name
    assert any("compound" in line for line in m.explanation)


def test_threshold_parameter(index):
    assert index.search("Abdulrahman Kadhim Hassan al-Tikriti") == []
    assert ids(index.search("Abdulrahman Kadhim Hassan al-Tikriti", threshold=0.1))


def test_len_counts_aliases(index):
    assert len(index) == 2 + 1 + 2 + 1


@pytest.mark.parametrize("bad", ["", "   ", "1234", "x" * 201])
def test_invalid_queries_raise_value_error(index, bad):
    with pytest.raises(ValueError):
        index.search(bad)


def test_unusable_alias_does_not_block_entry():
    index = NameIndex.build([WatchEntry("X", "t", "Faris Talib al-Ani", ("12345",))])
    assert len(index) == 1
    assert ids(index.search("Fares Taleb Alani")) == ["X"]


def test_build_reports_progress():
    seen: list[int] = []
    NameIndex.build([LISTED, *OTHERS], progress=seen.append)
    assert seen[-1] == 4


def test_repeated_names_surname_first_are_not_a_reordering():
    index = NameIndex.build([WatchEntry("R", "t", "Muhammad Muhammad Ammar al-Rubaie")])
    assert ids(index.search("ALRUBAIE MUHAMMAD MUHAMMAD AMMAR")) == ["R"]
    assert ids(index.search("Ahmad Ali Muhammad")) == []


def test_transposed_letters_count_as_one_typo():
    index = NameIndex.build([WatchEntry("T", "t", "Haitham Majid Abdulkarim al-Ani")])
    assert ids(index.search("Haitahm Majid Abdulkarim al-Ani")) == ["T"]


def test_sex_agreement_raises_contradiction_lowers_and_both_are_explained():
    from borderpost.screening.matcher import adjust_for_facts

    same: list[str] = []
    other: list[str] = []
    base = dict(q_birth=None, a_birth=None, q_nat=None, a_nat=None)
    assert adjust_for_facts(0.8, same, q_sex="F", a_sex="F", **base) > 0.8
    assert adjust_for_facts(0.8, other, q_sex="M", a_sex="F", **base) < 0.65
    assert same == ["sex agrees"] and other == ["sex differs"]
    assert adjust_for_facts(0.8, [], q_sex="X", a_sex="F", **base) == 0.8, "X weighs nothing"


def test_a_birth_year_alone_that_differs_lowers_but_never_to_zero():
    from borderpost.screening.matcher import adjust_for_facts

    lines: list[str] = []
    score = adjust_for_facts(
        0.9, lines, q_birth="1980-05-05", a_birth="1970", q_nat=None, a_nat=None
    )
    assert 0.5 < score < 0.9 and lines == ["date of birth differs"]


def test_sex_from_the_query_reaches_the_match_explanation():
    index = NameIndex.build(
        [WatchEntry("W-1", "l", "Aisha Rasheed al-Assad", birth_date="1980", sex="F")]
    )
    (woman,) = index.search("Aisha Rashid Al Asad", sex="F", threshold=0.0)
    assert "sex agrees" in woman.explanation
    man = index.search("Aisha Rashid Al Asad", sex="M", threshold=0.0)
    assert man[0].score < woman.score and "sex differs" in man[0].explanation


def test_a_listed_name_over_200_characters_is_matched_on_its_start():
    long_name = "Abu Mohammed al-Adnani " + " ".join(["al-Shami"] * 30)
    assert len(long_name) > 200
    index = NameIndex.build([WatchEntry("W-L", "un", long_name)])
    assert [m.entry_id for m in index.search("Abu Muhammad al-Adnani", threshold=0.0)] == ["W-L"]
