"""Issue 21 finding 2: attaching and publishing documents are lifecycle steps, decided by the
same role table (`information_requests.lifecycle.STEPS`): an admin never acts on a request,
the superior attaches only to the objection answer, and a requester never publishes their
own upload to everyone."""

from __future__ import annotations

from tests.attachments.test_access import CSV, PDF, Scene, _auth, scene, upload

__all__ = ["scene"]  # the fixture, used by name

PUBLISH = """mutation($id: ID!, $public: Boolean!) {
  setAttachmentPublic(id: $id, public: $public) { public } }"""


def _code(response: object) -> str | None:
    errors = response.json().get("errors")  # type: ignore[attr-defined]
    return errors[0]["extensions"]["code"] if errors else None


async def test_only_the_steps_actors_attach_and_only_the_ppid_publishes(scene: Scene) -> None:
    for who, stage in [
        ("admin", "NOTICE"),
        ("admin", "FULFILMENT"),
        ("admin", "REQUEST"),
        ("superior", "NOTICE"),
        ("superior", "FULFILMENT"),
        ("officer", "OBJECTION_ANSWER"),
    ]:
        refused = await upload(scene, who, [("surat.pdf", PDF)], stage=stage, public=True)
        assert _code(refused) == "FORBIDDEN", (who, stage)

    own = await upload(scene, "requester", [("ktp.pdf", PDF)], stage="REQUEST", public=True)
    assert _code(own) == "FORBIDDEN"
    private = await upload(scene, "requester", [("ktp.pdf", PDF)], stage="REQUEST")
    assert private.json()["data"]["addRequestAttachments"][0]["public"] is False
    answer = await upload(scene, "superior", [("jawaban.pdf", PDF)], stage="OBJECTION_ANSWER")
    assert _code(answer) is None

    given = await upload(scene, "officer", [("rekap.csv", CSV)], stage="FULFILMENT", public=True)
    (published,) = given.json()["data"]["addRequestAttachments"]
    for who in ("admin", "superior", "requester"):
        attempt = await scene.client.post(
            "/graphql",
            json={"query": PUBLISH, "variables": {"id": published["id"], "public": False}},
            headers=_auth(scene, who),
        )
        assert _code(attempt) == "FORBIDDEN", who
    mine = private.json()["data"]["addRequestAttachments"][0]["id"]
    by_requester = await scene.client.post(
        "/graphql",
        json={"query": PUBLISH, "variables": {"id": mine, "public": True}},
        headers=_auth(scene, "requester"),
    )
    assert _code(by_requester) == "FORBIDDEN"
    by_officer = await scene.client.post(
        "/graphql",
        json={"query": PUBLISH, "variables": {"id": published["id"], "public": False}},
        headers=_auth(scene, "officer"),
    )
    assert by_officer.json()["data"]["setAttachmentPublic"]["public"] is False
