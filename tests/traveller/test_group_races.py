"""Two security officers hand over persons of the same group at the same moment."""

from __future__ import annotations

from test_groups import SEC, group, new_group, people, register
from tests.conftest import Api
from tests.screening.racing import race

ROUNDS = 4


def handover(person_ids: list[str], to: str) -> dict:
    return {"person_ids": person_ids, "to": to, "handed_over_at": "2024-12-19T09:00:00Z"}


def test_a_person_handed_over_at_once_by_several_officers_is_handed_over_once(
    api: Api, crossing_code: str
):
    for _ in range(ROUNDS):
        group_id = new_group(api, crossing_code)
        ids = register(api, group_id, people(3, seed=7)).json()["person_ids"]
        bodies = [handover([ids[0]], f"Authority {n}") for n in range(3)]
        responses = race(api, f"/group-arrivals/{group_id}/handovers", bodies, SEC)
        codes = sorted(r.status_code for r in responses)
        assert codes == [201, 409, 409], [r.text for r in responses]
        after = group(api, group_id).json()
        assert after["counts"]["handed_over"] == 1 and after["counts"]["reconciled"] is True
        assert len(after["handovers"]) == 1


def test_handovers_of_different_persons_at_once_keep_the_counts_reconciled(
    api: Api, crossing_code: str
):
    """The group's counter of persons handed over is kept beside the rows: two handovers of
    different persons must both count (a counter read before the other's commit loses one)."""
    for _ in range(ROUNDS):
        group_id = new_group(api, crossing_code)
        ids = register(api, group_id, people(4, seed=8)).json()["person_ids"]
        bodies = [handover([pid], "Syrian authorities") for pid in ids]
        responses = race(api, f"/group-arrivals/{group_id}/handovers", bodies, SEC)
        assert [r.status_code for r in responses] == [201] * 4, [r.text for r in responses]
        counts = group(api, group_id).json()["counts"]
        assert counts["handed_over"] == 4 and counts["reconciled"] is True, counts
