"""Import speed and memory: ``conflictkg import acled`` on generated ACLED-shaped exports.

Writes exports of N and 10 x N rows (default 100,000 and 1,000,000) in the current ACLED column set,
made from a seeded random mix of event types, actors of 40 countries, dates, places and notes with
commas and quotes, then imports each in a fresh process and prints rows per second and peak RSS.
Target: peak memory at 10 x N within 1.3 x that at N (rows stream; memory must not grow with them).

    python benchmarks/import_bench.py [--rows N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
COUNTRIES = [
    "Syria", "Iraq", "Yemen", "Afghanistan", "Somalia", "Nigeria", "Mali", "Burkina Faso", "Niger",
    "Sudan", "South Sudan", "Ethiopia", "Libya", "Myanmar", "Pakistan", "India", "Colombia", "Mexico",
    "Ukraine", "Russia", "Turkey", "Israel", "Lebanon", "Cameroon", "Chad", "Mozambique", "Kenya",
    "Uganda", "Burundi", "Philippines", "Thailand", "Egypt", "Algeria", "Iran", "Azerbaijan", "Armenia",
    "Haiti", "Venezuela", "Brazil", "Bangladesh",
]  # fmt: skip
EVENTS = [
    (40, "Battles", "Armed clash"),
    (20, "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    (5, "Explosions/Remote violence", "Air/drone strike"),
    (18, "Violence against civilians", "Attack"),
    (10, "Protests", "Peaceful protest"),
    (4, "Strategic developments", "Agreement"),
    (3, "Riots", "Mob violence"),
]


def _actor(rng: random.Random, country: str, kind: str) -> tuple[str, str]:
    if kind == "state":
        return f"Military Forces of {country} ({rng.choice(['2000-', '2016-', '2021-'])})", "1"
    if kind == "police":
        return f"Police Forces of {country} (2000-)", "1"
    if kind == "rebels":
        return f"{country} {rng.choice(['Liberation Front', 'Resistance Army', 'Islamic Movement'])}", "2"
    if kind == "militia":
        return f"{rng.choice(['Kara', 'Dozo', 'Tiv', 'Fulani', 'Nuer'])} Ethnic Militia ({country})", "4"
    if kind == "civilians":
        return f"Civilians ({country})", "7"
    return f"Protesters ({country})", "6"


def write_export(path: Path, rows: int, seed: int = 14) -> None:
    """An ACLED-shaped CSV export of ``rows`` rows (streamed to disk, never held in memory)."""
    rng = random.Random(seed)
    weights = [w for w, _, _ in EVENTS]
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for i in range(rows):
            country = rng.choice(COUNTRIES)
            _, event_type, sub = rng.choices(EVENTS, weights)[0]
            if event_type == "Violence against civilians":
                pair = (
                    _actor(rng, country, rng.choice(["state", "rebels", "militia"])),
                    _actor(rng, country, "civilians"),
                )
            elif event_type in ("Protests", "Riots"):
                pair = (_actor(rng, country, "protesters"), ("", ""))
            else:
                kinds = rng.sample(["state", "police", "rebels", "militia"], 2)
                pair = (_actor(rng, country, kinds[0]), _actor(rng, country, kinds[1]))
            day = 1 + (i * 7919) % 730
            date = time.strftime("%d %B %Y", time.gmtime(1577836800 + day * 86400))
            place = f"{rng.choice(['Al', 'Nort', 'Kafr', 'Ban', 'Tel'])}{rng.randrange(400)}"
            fatalities = rng.choice([0, 0, 0, 1, 2, 3, 5, 12])
            notes = f'On {date}, clashes near "{place}", {country}, left {fatalities} dead; sources differ.'
            assoc = rng.choice(["", "", "", f"{country} Self-Defence Group"]) if pair[0][1] == "1" else ""
            out.writerow(
                [
                    f"X{i}", date, date[-4:], "1", "Political violence", event_type, sub, pair[0][0],
                    assoc, pair[0][1], pair[1][0], "", pair[1][1], "", "", "0", "", country,
                    f"{country} Province", "", "", place, f"{rng.uniform(-30, 45):.4f}",
                    f"{rng.uniform(-80, 120):.4f}", "1", "Press", "National", notes, str(fatalities), "",
                    "1600000000",
                ]
            )  # fmt: skip


def _child(export: Path, out: Path) -> None:
    from graph.importer import ImportOptions, import_datasets

    start = time.perf_counter()
    stats = import_datasets("acled", [export], out, ImportOptions())
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "rows": stats.rows,
                "statements": stats.statements,
                "seconds": seconds,
                "peak_mb": peak_kb / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=100_000, help="N: the smaller export (the larger is 10 x N)"
    )
    parser.add_argument("--keep", type=Path, help="keep the exports and outputs in this folder")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    peaks = []
    try:
        for rows in (args.rows, 10 * args.rows):
            export = work / f"acled_{rows}.csv"
            if not export.exists():
                t = time.perf_counter()
                write_export(export, rows)
                size = export.stat().st_size / 2**20
                print(f"wrote {export.name} ({size:.0f} MB) in {time.perf_counter() - t:.0f} s")
            out = work / f"out_{rows}"
            shutil.rmtree(out, ignore_errors=True)
            cmd = [sys.executable, __file__, "--child", str(export), str(out)]
            line = (
                subprocess.run(cmd, check=True, capture_output=True, text=True)
                .stdout.strip()
                .splitlines()[-1]
            )
            row = json.loads(line)
            peaks.append(row["peak_mb"])
            print(
                f"import: {row['rows']:8d} rows  {row['statements']:8d} statements  {row['seconds']:6.0f} s  "
                f"{row['rows'] / row['seconds']:7.0f} rows/s  peak RSS {row['peak_mb']:6.1f} MB",
                flush=True,
            )
        print(f"  10N/N peak memory = {peaks[1] / peaks[0]:.3f}   target <= 1.3")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
