"""Two supervisors, or the two states' officials, acting on the same crossing at the same moment.

Every test fires its requests at once from several threads against the live server, on both
engines, and checks the rule's invariant afterwards: the two-state rule holds whatever the timing,
and the status history is a chain in which each change starts from the state the previous left.
"""

from __future__ import annotations

from typing import Any

from borderpost.auth.permissions import Role
from tests.conftest import Api, unique_code
from tests.crossing.test_api import assessment, signature
from tests.screening.racing import race, race_calls

S, L = Role.SUPERVISOR, Role.LIAISON
ROUNDS = 6  # one round may serialise by chance, six in a row hardly ever do
CLASSES = ("cargo", "passenger")


def new_crossing(api: Api) -> str:
    code = unique_code()
    body = {
        "code": code,
        "name": "Race crossing",
        "country": "IRQ",
        "neighbour_country": "SYR",
        "counterpart_name": "Counterpart",
        "timezone": "Asia/Baghdad",
    }
    assert api.post("/crossings", Role.ADMIN, body).status_code == 201
    return code


def change(state: str, category: str | None, **extra: Any) -> dict[str, Any]:
    body = {"traffic": list(CLASSES), "state": state, "reason": "Race.", **extra}
    if category:
        body["reason_category"] = category
    return body


def history(api: Api, code: str) -> list[dict[str, Any]]:
    response = api.get(f"/crossings/{code}/status-changes", Role.ANALYST, params={"limit": 200})
    assert response.status_code == 200, response.text
    return list(reversed(response.json()["items"]))  # oldest first


def assert_chain(api: Api, code: str) -> list[dict[str, Any]]:
    """Each change starts from the state, per class and direction, the previous change left."""
    changes = history(api, code)
    now = {t: {"entry": "open", "exit": "open"} for t in CLASSES}
    for c in changes:
        for t in c["traffic"]:
            before = c["previous_directions"][t]
            assert before == {d: now[t][d] for d in before}, (c, now)
            for d in c["directions"]:
                now[t][d] = c["state"]
    status = api.get(f"/crossings/{code}", Role.ANALYST).json()["status"]
    for t in CLASSES:
        for d in ("entry", "exit"):
            assert status[t]["directions"][d]["state"] == now[t][d], (t, d, status, changes)
    return changes


def test_a_security_closure_is_never_undone_by_a_restriction_at_the_same_moment(api: Api):
    for _ in range(ROUNDS):
        code = new_crossing(api)
        path = f"/crossings/{code}/status-changes"
        security, weather = change("closed", "security"), change("restricted", "weather")
        responses = race_calls(api, [(path, S, security), (path, S, weather)])
        codes = [r.status_code for r in responses]
        assert 500 not in codes and codes[0] == 201, [r.text for r in responses]
        if codes[1] != 201:  # the closure came first: leaving it needs a joint assessment
            assert codes[1] == 409, responses[1].text
            assert responses[1].json()["type"].endswith("/assessment-required")
        status = api.get(f"/crossings/{code}", Role.ANALYST).json()["status"]
        for t in CLASSES:
            assert (status[t]["state"], status[t]["reason_category"]) == ("closed", "security")
        assert len(assert_chain(api, code)) == codes.count(201)


def test_identical_closures_at_once_record_one_change(api: Api):
    """The second of two identical closures finds the class closed already: 409 `/no-change`
    (v1's rule for a change to the state a class is in), and nothing of it is recorded."""
    for _ in range(ROUNDS):
        code = new_crossing(api)
        responses = race(
            api, f"/crossings/{code}/status-changes", [change("closed", "security")] * 4, S
        )
        codes = sorted(r.status_code for r in responses)
        assert codes == [201, 409, 409, 409], [r.text for r in responses]
        for r in responses:
            if r.status_code == 409:
                assert r.json()["type"].endswith("/no-change")
        assert len(assert_chain(api, code)) == 1


def test_reopenings_racing_closures_keep_the_history_a_chain(api: Api):
    code = new_crossing(api)
    path = f"/crossings/{code}/status-changes"
    for _ in range(ROUNDS):
        bodies = [change("closed", "weather"), change("open", None), change("restricted", "health")]
        responses = race(api, path, bodies * 2, S)
        assert all(r.status_code in (201, 409) for r in responses), [r.text for r in responses]
    assert_chain(api, code)


def test_both_states_signing_at_once_conclude_the_assessment(api: Api):
    for _ in range(ROUNDS):
        code = new_crossing(api)
        a = assessment(api, code)
        path = f"/assessments/{a['id']}/signatures"
        responses = race_calls(api, [(path, S, signature("IRQ")), (path, L, signature("SYR"))])
        assert [r.status_code for r in responses] == [201, 201], [r.text for r in responses]
        # whichever signed second saw the other's signature and concluded it
        assert sorted(r.json()["state"] for r in responses) == ["concluded", "open"]
        after = api.get(f"/assessments/{a['id']}", Role.ANALYST).json()
        assert after["state"] == "concluded" and after["concluded_at"] is not None


def test_one_state_signing_twice_at_once_signs_once(api: Api):
    for _ in range(ROUNDS):
        code = new_crossing(api)
        a = assessment(api, code)
        responses = race(api, f"/assessments/{a['id']}/signatures", [signature("SYR")] * 3, L)
        codes = sorted(r.status_code for r in responses)
        assert codes == [201, 409, 409], [r.text for r in responses]
        assert all(
            r.json()["type"].endswith("/already-signed") for r in responses if r.status_code == 409
        )
        after = api.get(f"/assessments/{a['id']}", Role.ANALYST).json()
        assert [s["country"] for s in after["signatures"]] == ["SYR"]
