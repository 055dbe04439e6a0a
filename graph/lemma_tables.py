"""A pipeline's lemmatizer with its lookup tables read as plain dicts (spaCy pipeline → the same pipeline).

spaCy loads a lemmatizer's tables (``lemmatizer/lookups/lookups.bin``) into ``Table`` objects, each
an ``OrderedDict`` with a Bloom filter that is filled one key at a time from Python. The French
pipeline's word-to-lemma table holds 216,849 words: that filling costs 0.5 s of CPU at every load,
a twentieth of a 150-article French build. :func:`graph.nlp.load_pipeline` loads such a pipeline
without its lemmatizer and :func:`add_lemmatizer` puts the same lemmatizer back (same factory, same
settings, same place) with the tables of the same file as :class:`HashedTable`: a plain dict built
at C speed, keyed and read like ``Table`` (string keys hashed by spaCy's ``get_string_id``), so
every lemma comes out the same (``tests/test_lemma_tables.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.strings import get_string_id

__all__ = ["LEMMATIZER", "HashedTable", "add_lemmatizer", "read_lookups"]

LEMMATIZER = "lemmatizer"


class HashedTable(dict):
    """A lookups table as spaCy's ``Table`` answers it, on a plain dict of hashed keys.

    The serialised tables are keyed by string hashes already, so the dict is made in one C call;
    reads hash a string key as ``Table`` does. No Bloom filter: it only spares ``Table`` a dict
    look-up on a miss.
    """

    def __init__(self, name: str, data: dict[int, Any]) -> None:
        super().__init__(data)
        self.name = name

    def __getitem__(self, key: str | int) -> Any:
        return super().__getitem__(get_string_id(key))

    def __setitem__(self, key: str | int, value: Any) -> None:
        super().__setitem__(get_string_id(key), value)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(get_string_id(key))

    def get(self, key: str | int, default: Any = None) -> Any:
        return super().get(get_string_id(key), default)


def read_lookups(path: Path):  # -> spacy.lookups.Lookups
    """The tables of a ``lookups.bin`` file (what ``Lookups.from_disk`` reads) as :class:`HashedTable`."""
    import srsly
    from spacy.lookups import Lookups

    lookups = Lookups()
    if path.is_file():  # Lookups.from_disk leaves the tables empty when the file is missing, too
        for name, data in srsly.msgpack_loads(path.read_bytes()).items():
            lookups.set_table(name, HashedTable(name, data))
    return lookups


def add_lemmatizer(nlp, pipeline: list[str]) -> None:
    """Put back the lemmatizer of ``nlp``'s package, loaded without it, where ``pipeline`` (the
    package's component order) has it, with its tables read by :func:`read_lookups`."""
    import spacy

    folder = Path(nlp.path)
    config = dict(spacy.util.load_config(folder / "config.cfg")["components"][LEMMATIZER])
    factory = config.pop("factory")
    earlier = [p for p in pipeline[: pipeline.index(LEMMATIZER)] if p in nlp.pipe_names]
    place = {"after": earlier[-1]} if earlier else {"first": True}
    lemmatizer = nlp.add_pipe(factory, name=LEMMATIZER, config=config, **place)
    lemmatizer.initialize(lookups=read_lookups(folder / LEMMATIZER / "lookups" / "lookups.bin"))
