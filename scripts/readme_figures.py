"""The figures README.md quotes, made by the code the README describes.

    python3 scripts/readme_figures.py            # check: lists the stale blocks with a diff, exit 1
    python3 scripts/readme_figures.py --write    # rewrite the stale blocks of README.md

Each generated block of README.md sits between `<!-- figures:NAME -->` and
`<!-- /figures:NAME -->`; everything between the markers is replaced. The
blocks: an example of the records CSV (`example-records`), the accuracy on
the bundled corpus as `vnextract eval` prints it (`accuracy`), record F1 by
split (`splits`), what `vnextract track corpus/dev` says and writes
(`tracking`), what it says grouped by province (`provinces`), and how many
records name a province after 2025 (`places`). `tests/test_readme.py` runs the check, so a change that moves a
figure fails until this script is run with `--write` and README.md is
committed. Timings are not made here: they come from `benchmarks/`, and the
README quotes them with the command that printed them.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import io
import sys
from functools import lru_cache
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DEV = ROOT / "corpus" / "dev"
GOLD = ROOT / "corpus" / "gold" / "dev.jsonl"
SPLITS = ROOT / "corpus" / "splits"
_BLOCK = regex.compile(r"(<!-- figures:(?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /figures:(?P=name) -->)", regex.DOTALL)

EXAMPLE_DOC = "damha-2024"
EXAMPLE_SPLIT = "dev-67"  # rows are shown from these articles only; counts cover every article
EXAMPLE_COLUMNS = ("doc_id", "start", "end", "span", "norm_value", "norm_unit", "indicator", "indicator_id", "status",
                   "kind", "direction", "comparator", "baseline", "period", "year", "locality")
TRACKING_COLUMNS = ("locality", "indicator", "horizon", "verdict", "ratio", "target_span", "actual_span",
                    "stated_span", "pair")
# (label, split files whose articles it scores; none: every article)
SPLIT_ROWS = (
    ("`dev-67` (the articles the rules were first written from)", ("dev-67",)),
    ("`new-32` (added this round; see the protocol below)", ("new-32",)),
    ("all", ()),
)


# ------------------------------------------------------------------ extraction ---

@lru_cache(maxsize=4)
def _dev_records(sheet: bool, model: str | None = None) -> tuple[tuple[str, ...], tuple[dict, ...]]:
    """(doc_ids, records) of `corpus/dev` as `vnextract extract corpus/dev` makes
    them: with the sheet beside the folder, or the text alone (`--no-meta`);
    with the shipped model, or `model="rules"` (`--model rules`)."""
    from vnextract.pipeline import extract_documents

    doc_ids, records = [], []
    for item, found in extract_documents([str(DEV)], sheets=sheet, model=model):
        if not hasattr(item, "text"):
            raise SystemExit(f"readme_figures: {item}")
        doc_ids.append(item.doc_id)
        records.extend(r.to_dict() for r in found)
    return tuple(doc_ids), tuple(records)


def _gold() -> list[dict]:
    from vnextract.evaluation.gold import read_gold

    return read_gold(GOLD)


def _split(name: str) -> set[str]:
    lines = (SPLITS / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return {line.split("#", 1)[0].strip() for line in lines} - {""}


# ---------------------------------------------------------------------- blocks ---

def example_records() -> str:
    """The first records of one article, as the records CSV holds them (cells as written, `'=` included)."""
    from vnextract.outputs.writers import RecordWriter

    _, records = _dev_records(True)
    mine = [r for r in records if r["doc_id"] == EXAMPLE_DOC][:4]
    full = io.StringIO()
    writer = RecordWriter(full, "csv")
    for record in mine:
        writer.write(record)
    rows = list(csv.DictReader(io.StringIO(full.getvalue())))
    out = io.StringIO()
    table = csv.writer(out, lineterminator="\n")
    table.writerow(EXAMPLE_COLUMNS)
    table.writerows([row[c] for c in EXAMPLE_COLUMNS] for row in rows)
    return (f"`vnextract extract corpus/dev -o outputs/records.csv`, the first {len(rows)} rows of\n"
            f"`{EXAMPLE_DOC}` (some columns left out here):\n\n```\n{out.getvalue()}```\n")


def accuracy() -> str:
    from vnextract.evaluation.scoring import evaluate

    doc_ids, records = _dev_records(True)
    gold = _gold()
    required = sum(not g.get("optional") for g in gold)
    report = evaluate(gold, list(records))
    return (f"Measured with `vnextract eval --gold corpus/gold/dev.jsonl corpus/dev` (the\n"
            f"{len(doc_ids)} dev articles, {required:,} required gold records, scored as SPEC §4 says; the\n"
            f"sheet `corpus/dev.sources.tsv` is picked up automatically):\n\n"
            f"```\n{report.format_table()}\n```\n")


def splits() -> str:
    from vnextract.evaluation.scoring import evaluate

    gold = _gold()
    lines = ["| split | articles | record F1, with sheet | text alone (`--no-meta`) | rules alone (`--model rules`) |",
             "|---|---|---|---|---|"]
    for label, names in SPLIT_ROWS:
        wanted = set().union(*(_split(n) for n in names)) if names else set(_dev_records(True)[0])
        scores = []
        for sheet, model in ((True, None), (False, None), (True, "rules")):
            _, records = _dev_records(sheet, model)
            scores.append(evaluate([g for g in gold if g["doc_id"] in wanted],
                                   [r for r in records if r["doc_id"] in wanted]).record.f1)
        lines.append(f"| {label} | {len(wanted)} | " + " | ".join(f"{s:.3f}" for s in scores) + " |")
    return "\n".join(lines) + "\n"


def tracking() -> str:
    from vnextract.tracking import track_records
    from vnextract.tracking.writing import csv_cell, flat_row, summary

    doc_ids, records = _dev_records(True)
    rows = track_records([dict(r) for r in records])
    shown = _split(EXAMPLE_SPLIT)
    kinds: dict[tuple, dict] = {}
    for row in rows:  # the first row of each kind of verdict: met, not met, on track; in or across articles; …
        sources = {record["doc_id"] for record in (row.target, row.actual, row.stated) if record}
        if row.verdict != "unknown" and sources <= shown:
            kinds.setdefault((row.verdict, row.pair, row.ratio_source), flat_row(row))
    out = io.StringIO()
    table = csv.writer(out, lineterminator="\n")
    table.writerow(TRACKING_COLUMNS)
    for flat in kinds.values():
        flat = dict(flat, ratio=f"{flat['ratio']:.3f}" if flat["ratio"] is not None else None)
        table.writerow(csv_cell(flat[c]) for c in TRACKING_COLUMNS)
    return (f"`vnextract track corpus/dev -o outputs/tracking` prints\n"
            f"`{summary(rows, len(records), len(doc_ids))}`;\n"
            f"the first row of each kind of verdict in `tracking.csv` among the `{EXAMPLE_SPLIT}` articles (some\n"
            f"columns left out, the ratio rounded):\n\n"
            f"```\n{out.getvalue()}```\n")


def provinces() -> str:
    """What `track --by province_2025` prints, beside the other groupings."""
    from vnextract.tracking import track_records
    from vnextract.tracking.writing import summary

    doc_ids, records = _dev_records(True)
    rows = {by: track_records([dict(r) for r in records], by=by) for by in ("province_2025", "locality", "province")}

    def crossing(by: str) -> int:
        return sum(r.pair == "cross-article" for r in rows[by])

    return (f"On the {len(doc_ids)} dev articles this prints `{summary(rows['province_2025'], len(records), len(doc_ids))}`,\n"
            f"against {len(rows['locality'])} rows and {crossing('locality')} cross-article pairs by locality\n"
            f"(`--by province`: {len(rows['province'])} rows, {crossing('province')} cross-article pairs).\n")


def places() -> str:
    """How many records name a province after 2025."""
    _, records = _dev_records(True)
    country = sum(r["locality"] == "cả nước" for r in records)
    without = sum(not r.get("province_2025") for r in records)
    others = "" if without == country else f" and {without - country} others"
    return (f"Every one of the {len(records):,} records of `vnextract extract corpus/dev` has a\n"
            f"`province_2025` except the {country} of `cả nước`{others}.\n")


BLOCKS = {"example-records": example_records, "accuracy": accuracy, "splits": splits, "tracking": tracking,
          "provinces": provinces, "places": places}


# ------------------------------------------------------------------ the README ---

def blocks_in(text: str) -> dict[str, str]:
    return {m["name"]: m["body"] for m in _BLOCK.finditer(text)}


def stale(text: str) -> dict[str, tuple[str, str]]:
    """name → (in the README, made now) for every block that differs; a block
    the README lacks counts as stale."""
    found = blocks_in(text)
    out = {}
    for name, make in BLOCKS.items():
        made = make()
        if found.get(name) != made:
            out[name] = (found.get(name, f"(no <!-- figures:{name} --> block)\n"), made)
    return out


def rewritten(text: str) -> str:
    made = {name: make() for name, make in BLOCKS.items()}
    missing = sorted(set(made) - set(blocks_in(text)))
    if missing:
        raise SystemExit(f"README.md has no block for {', '.join(missing)}: add "
                         f"<!-- figures:NAME --> and <!-- /figures:NAME --> lines where it belongs")
    return _BLOCK.sub(lambda m: m.group(1) + made[m["name"]] + m.group(4), text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the stale blocks of README.md")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    if args.write:
        new = rewritten(text)
        if new != text:
            README.write_text(new, encoding="utf-8")
        print("README.md: blocks rewritten" if new != text else "README.md: every block is current")
        return 0
    differing = stale(text)
    for name, (old, new) in differing.items():
        sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                   f"README.md figures:{name}", "what the code prints now"))
    if differing:
        print(f"\n{len(differing)} stale blocks ({', '.join(differing)}): run python3 scripts/readme_figures.py --write")
        return 1
    print("README.md: every block is current")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
