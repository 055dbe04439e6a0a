"""The states part of the shipped actor gazetteer (``ontology/gazetteer/states.csv``).

Checks coverage against a hand-kept UN membership list, the shape of every row, and that the
surface forms analysts meet in conflict news ("Ankara", "the Kremlin", "Emirati", "Congolese")
resolve to the right state and to one state only. The file is copied to a temporary folder
before loading so that other gazetteer files being edited in the same folder cannot break it.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

from graph.gazetteer import STATE_FIELDS, Gazetteer, load_gazetteer, normalize
from graph.records import ActorType

ROOT = Path(__file__).parents[1]
STATES_CSV = ROOT / "ontology" / "gazetteer" / "states.csv"
UN_MEMBERS = Path(__file__).parent / "data" / "un_members.txt"

# Reported as actors in conflict news although not UN members or observers.
EXTRA_STATES = {"XKX", "TWN", "ESH"}

# Capitals left out on purpose: the name also means another place or body that news mentions
# more often (Brussels = the EU, Victoria = the Australian state, Kingston, Georgetown,
# San José, Nassau, St. John's, St. George's), is an English word (Malé = "male"), or equals the
# country's own name (Singapore). Rows listed here must have no metonym; all others need one.
NO_CAPITAL = {"atg", "bel", "bhs", "cri", "grd", "guy", "mdv", "sgp", "syc"}

# Known overlap with pycountry's own names: pycountry calls the Republic of the Congo plain
# "Congo", but wires (AP, Reuters) use "Congo" for the Democratic Republic; states.csv lists it
# under cod, which is read first, so the lookup keeps cod.
ALLOWED_OVERLAP = {"congo": "cod"}

NAMES = [
    ("Ankara", "tur"),
    ("Türkiye", "tur"),
    ("Turkiye", "tur"),
    ("the Kremlin", "rus"),
    ("Moscow", "rus"),
    ("Kyiv", "ukr"),
    ("Kiev", "ukr"),
    ("Washington", "usa"),
    ("the White House", "usa"),
    ("the Pentagon", "usa"),
    ("U.S.", "usa"),
    ("USA", "usa"),
    ("America", "usa"),
    ("Damascus", "syr"),
    ("Syrian Arab Republic", "syr"),
    ("Tehran", "irn"),
    ("Jerusalem", "isr"),
    ("Ramallah", "pse"),
    ("Beirut", "lbn"),
    ("Baghdad", "irq"),
    ("Sanaa", "yem"),
    ("Riyadh", "sau"),
    ("Abu Dhabi", "are"),
    ("UAE", "are"),
    ("Doha", "qat"),
    ("Beijing", "chn"),
    ("Pyongyang", "prk"),
    ("DPRK", "prk"),
    ("Seoul", "kor"),
    ("Taipei", "twn"),
    ("Burma", "mmr"),
    ("Naypyidaw", "mmr"),
    ("Nay Pyi Taw", "mmr"),
    ("Kabul", "afg"),
    ("Islamabad", "pak"),
    ("New Delhi", "ind"),
    ("Baku", "aze"),
    ("Yerevan", "arm"),
    ("Downing Street", "gbr"),
    ("Britain", "gbr"),
    ("U.K.", "gbr"),
    ("the Élysée", "fra"),
    ("the Elysee", "fra"),
    ("Berlin", "deu"),
    ("Pristina", "xkx"),
    ("Czech Republic", "cze"),
    ("Czechia", "cze"),
    ("Holy See", "vat"),
    ("Addis Ababa", "eth"),
    ("Asmara", "eri"),
    ("Kinshasa", "cod"),
    ("DRC", "cod"),
    ("DR Congo", "cod"),
    ("Congo", "cod"),
    ("Brazzaville", "cog"),
    ("Republic of the Congo", "cog"),
    ("Kigali", "rwa"),
    ("Khartoum", "sdn"),
    ("Port Sudan", "sdn"),
    ("Juba", "ssd"),
    ("Mogadishu", "som"),
    ("Abuja", "nga"),
    ("Niamey", "ner"),
    ("Bamako", "mli"),
    ("Ouagadougou", "bfa"),
    ("Tripoli", "lby"),
    ("Ivory Coast", "civ"),
    ("Côte d'Ivoire", "civ"),
    ("Western Sahara", "esh"),
    ("Caracas", "ven"),
    ("Bogotá", "col"),
    ("Bogota", "col"),
    ("Casa Rosada", "arg"),
    ("Port-au-Prince", "hti"),
    ("Mexico City", "mex"),
    ("Havana", "cub"),
    ("Canberra", "aus"),
    ("Port Moresby", "png"),
]

ADJECTIVES = [
    ("Turkish", "tur"),
    ("Turks", "tur"),
    ("Russian", "rus"),
    ("Ukrainian", "ukr"),
    ("American", "usa"),
    ("U.S.", "usa"),
    ("Syrian", "syr"),
    ("Iranian", "irn"),
    ("Israeli", "isr"),
    ("Israelis", "isr"),
    ("Palestinian", "pse"),
    ("Lebanese", "lbn"),
    ("Yemeni", "yem"),
    ("Saudi", "sau"),
    ("Saudis", "sau"),
    ("Saudi Arabian", "sau"),
    ("Emirati", "are"),
    ("Emiratis", "are"),
    ("British", "gbr"),
    ("Britons", "gbr"),
    ("French", "fra"),
    ("Dutch", "nld"),
    ("Afghan", "afg"),
    ("Afghans", "afg"),
    ("Pakistani", "pak"),
    ("Indian", "ind"),
    ("Chinese", "chn"),
    ("North Korean", "prk"),
    ("South Korean", "kor"),
    ("Burmese", "mmr"),
    ("Filipino", "phl"),
    ("Taiwanese", "twn"),
    ("Azeri", "aze"),
    ("Azerbaijani", "aze"),
    ("Armenian", "arm"),
    ("Kosovar", "xkx"),
    ("Congolese", "cod"),
    ("Malian", "mli"),
    ("Malians", "mli"),
    ("Ethiopian", "eth"),
    ("Ethiopians", "eth"),
    ("Eritrean", "eri"),
    ("Sudanese", "sdn"),
    ("South Sudanese", "ssd"),
    ("Somali", "som"),
    ("Rwandan", "rwa"),
    ("Nigerien", "ner"),
    ("Nigerian", "nga"),
    ("Burkinabe", "bfa"),
    ("Burkinabè", "bfa"),
    ("Ivorian", "civ"),
    ("Libyan", "lby"),
    ("Sahrawi", "esh"),
    ("Colombian", "col"),
    ("Venezuelan", "ven"),
    ("Mexican", "mex"),
    ("Haitian", "hti"),
    ("Dominican", "dom"),
    ("Australian", "aus"),
]

# Ethnic, religious or regional words that must never resolve to a state.
NOT_STATES = [
    "Kurdish",
    "Kurds",
    "Tigrayan",
    "Tigrayans",
    "Pashtun",
    "Arab",
    "Arabs",
    "Korean",
    "Koreans",
    "Serb",
    "Serbs",
    "Croat",
    "Croats",
    "Bosniak",
    "Turkmen",
    "Persian",
    "Malay",
    "Khmer",
    "Hutu",
    "Tutsi",
    "Baloch",
    "Druze",
    "Alawite",
    "Yazidi",
    "Amhara",
    "Oromo",
    "Fulani",
    "Rohingya",
    "Uyghur",
    "Tamil",
    "Kurdistan",
    "Car",
    "Brussels",
    "The Hague",
    "Victoria",
    "Male",
]


def _read_members() -> tuple[list[str], list[str]]:
    groups: dict[str, list[str]] = {"members": [], "observers": []}
    current = None
    for raw in UN_MEMBERS.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("# ["):
            current = line[3:].rstrip("]")
        elif line and not line.startswith("#"):
            assert current in groups, f"{UN_MEMBERS}: code {line} outside a [members]/[observers] section"
            groups[current].append(line)
    return groups["members"], groups["observers"]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with STATES_CSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == STATE_FIELDS
        return list(reader)


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("gazetteer")
    shutil.copy(STATES_CSV, folder / "states.csv")
    return load_gazetteer(folder)


def _cell(row: dict[str, str], column: str) -> list[str]:
    return [v.strip() for v in row[column].split("|") if v.strip()]


def _pycountry_forms(iso3: str) -> set[str]:
    """The names the loader adds itself from pycountry (none for codes pycountry lacks)."""
    country = pycountry.countries.get(alpha_3=iso3)
    attrs = ("name", "common_name", "official_name")
    return {getattr(country, a) for a in attrs if hasattr(country, a)} if country is not None else set()


def test_member_list_is_complete_and_valid() -> None:
    members, observers = _read_members()
    assert len(members) == 193
    assert len(set(members)) == 193
    assert sorted(observers) == ["PSE", "VAT"]
    unknown = [c for c in members + observers if pycountry.countries.get(alpha_3=c) is None]
    assert unknown == []


def test_every_un_member_observer_and_extra_is_a_state(gaz: Gazetteer) -> None:
    members, observers = _read_members()
    wanted = set(members) | set(observers) | EXTRA_STATES
    missing = sorted(c for c in wanted if gaz.state_for(c) is None)
    assert missing == []
    assert set(gaz.states) == wanted
    for iso3 in wanted:
        actor = gaz.state_for(iso3)
        assert actor is not None
        assert actor.type is ActorType.STATE
        assert actor.country == iso3


def test_ids_are_lowercase_iso3_sorted_and_unique(rows: list[dict[str, str]]) -> None:
    ids = [r["id"] for r in rows]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))
    for row in rows:
        assert row["id"] == row["iso3"].lower()
        assert row["iso3"] == row["iso3"].upper()
        assert row["iso3"] == "XKX" or pycountry.countries.get(alpha_3=row["iso3"]) is not None


def test_every_row_has_label_adjective_and_capital(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert row["label"].strip(), row["id"]
        assert _cell(row, "adjectives"), f"{row['id']}: no adjective"
        if row["id"] in NO_CAPITAL:
            assert not _cell(row, "metonyms"), f"{row['id']}: has a metonym now; drop it from NO_CAPITAL"
        else:
            assert _cell(row, "metonyms"), f"{row['id']}: no capital metonym"


def test_qids_are_well_formed_and_distinct(rows: list[dict[str, str]]) -> None:
    qids = [r["wikidata"] for r in rows if r["wikidata"]]
    assert all(re.fullmatch(r"Q[1-9]\d*", q) for q in qids)
    assert len(qids) == len(set(qids))


@pytest.mark.parametrize(
    ("iso3", "qid"),
    [
        ("TUR", "Q43"),
        ("SYR", "Q858"),
        ("RUS", "Q159"),
        ("IRN", "Q794"),
        ("USA", "Q30"),
        ("UKR", "Q212"),
        ("ISR", "Q801"),
        ("LBN", "Q822"),
        ("COD", "Q974"),
        ("COG", "Q971"),
        ("PSE", "Q219060"),
    ],
)
def test_well_known_qids(gaz: Gazetteer, iso3: str, qid: str) -> None:
    actor = gaz.state_for(iso3)
    assert actor is not None
    assert actor.wikidata == qid


def test_names_column_does_not_repeat_pycountry(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert not _pycountry_forms(row["iso3"]) & set(_cell(row, "names")), row["id"]


@pytest.mark.parametrize(("form", "state"), NAMES)
def test_name_resolves(gaz: Gazetteer, form: str, state: str) -> None:
    assert gaz.names.get(normalize(form)) == state


@pytest.mark.parametrize(("form", "state"), ADJECTIVES)
def test_adjective_resolves(gaz: Gazetteer, form: str, state: str) -> None:
    assert gaz.adjectives.get(normalize(form)) == state


@pytest.mark.parametrize("form", NOT_STATES)
def test_ethnic_and_ambiguous_words_are_not_states(gaz: Gazetteer, form: str) -> None:
    key = normalize(form)
    assert key not in gaz.adjectives
    assert key not in gaz.names


def test_no_surface_form_names_two_states(rows: list[dict[str, str]], gaz: Gazetteer) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        forms = [row["label"], *_cell(row, "names"), *_cell(row, "adjectives"), *_cell(row, "metonyms")]
        for form in [*forms, *_pycountry_forms(row["iso3"])]:
            owners[normalize(form)].add(row["id"])
    clashes = {k: sorted(v) for k, v in owners.items() if len(v) > 1 and k not in ALLOWED_OVERLAP}
    assert clashes == {}
    for key, state in ALLOWED_OVERLAP.items():
        assert gaz.names[key] == state


def test_institutions_take_the_first_adjective(gaz: Gazetteer) -> None:
    army = gaz.institution("tur", ActorType.ARMED_FORCES)
    assert (army.id, army.label, army.acts_for, army.country) == (
        "tur_armed_forces",
        "Turkish armed forces",
        "tur",
        "TUR",
    )
    assert gaz.institution("are", ActorType.GOVERNMENT).label == "Emirati government"
