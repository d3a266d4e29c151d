"""The typed passage: what ingestion writes is what search, the catalog and the store
read back, through the real store."""

from dataclasses import replace

from assistant.service import Kennisbank
from core.index.passage import METADATA_KEYS, DocumentStatus, Passage
from tests.support.passages import make_passage


def stored(kennisbank: Kennisbank, *passages: Passage) -> None:
    nodes = [passage.to_node() for passage in passages]
    for node in nodes:
        node.embedding = kennisbank.embed_model.get_text_embedding(node.text)
    kennisbank.store.ensure_collection(len(nodes[0].embedding))
    kennisbank.store.add(nodes)


def test_a_passage_reads_back_as_it_was_written(kennisbank: Kennisbank):
    written = replace(
        make_passage(
            day=20210621, status="vervangen", heading="2. Verdeelsleutel", text="70 % volgens inzet."
        ),
        groups=("bestuur",),
        beleidsdomein=("personeel", "financien"),
        page=3,
        article="5.2",
    )
    stored(kennisbank, written)
    [read] = kennisbank.store.passages(with_text=True)
    assert read == written
    assert read.status is DocumentStatus.REPLACED and read.day == 20210621
    [without_text] = kennisbank.store.passages()
    assert without_text == replace(written, text="")


def test_the_payload_holds_every_metadata_key_as_json(kennisbank: Kennisbank):
    payload = make_passage(day=20230101).metadata()
    assert tuple(payload) == METADATA_KEYS
    assert payload["status"] == "geldend" and payload["day"] == 20230101 and payload["groups"] == []


def test_point_ids_are_stable_per_document_version_and_position():
    first = make_passage(text="a")
    assert first.point_id == replace(first, text="b").point_id  # the id names the place, not the text
    assert first.point_id != replace(first, chunk_index=1).point_id
    assert first.point_id != replace(first, fingerprint="other").point_id
