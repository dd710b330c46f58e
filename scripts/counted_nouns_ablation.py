"""How far counts reach beyond the nouns units.yaml lists.

    python3 scripts/counted_nouns_ablation.py

The counted nouns of `rules/units.yaml` (`counts`) were written from the
bundled corpus, so on it they find every count. Articles about other things
count other nouns. This script scores the bundled corpus three ways, each in
a fresh process: with the list as it is; with the list cut to its places
(administrative units, villages, industrial zones: every noun after "người"
dropped) and no other way to find a count; and with that cut list plus the
part-of-speech rule (`head_nouns`), which counts whatever noun follows a
number. The last row against the second is what the rule adds on nouns the
rules have never seen; against the first, what is still lost.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "corpus" / "dev"
GOLD = ROOT / "corpus" / "gold" / "dev.jsonl"

WAYS = {
    "list": "counted nouns as listed, and the POS rule",
    "places": "list cut to places, no POS rule",
    "places+pos": "list cut to places, and the POS rule",
}


def _score(way: str) -> dict:
    """Scores of one way, in this process (the rules are cut before first use)."""
    from vnextract.rules import load_rules

    units = load_rules("units")
    if way != "list":
        forms = units["counts"]["forms"]
        units["counts"]["forms"] = forms[: forms.index("người")]
    if way == "places":
        units["head_nouns"]["noun_tags"] = []
    from vnextract.evaluation.gold import read_gold
    from vnextract.evaluation.scoring import evaluate
    from vnextract.pipeline import extract_documents

    golds = read_gold(GOLD)
    preds = [r.to_dict() for _, records in extract_documents([str(DEV)]) for r in records]
    report = evaluate(golds, preds)
    counts = [g for g in golds if g["norm_unit"] == "count" and not g.get("optional")]
    found = sum(
        any(p["doc_id"] == g["doc_id"] and p["start"] < g["end"] and g["start"] < p["end"] and p["norm_unit"] == "count"
            for p in preds)
        for g in counts)
    return {"counts_found": found, "counts": len(counts), "mention_f1": report.mention.f1, "record_f1": report.record.f1}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--way":
        print(json.dumps(_score(sys.argv[2])))
        return
    print(f"{'counted nouns':<42} {'gold counts found':>18} {'mention F1':>11} {'record F1':>10}")
    for way, label in WAYS.items():
        out = subprocess.run([sys.executable, __file__, "--way", way], capture_output=True, text=True, check=True)
        s = json.loads(out.stdout.strip().splitlines()[-1])
        found = f"{s['counts_found']}/{s['counts']}"
        print(f"{label:<42} {found:>18} {s['mention_f1']:>11.3f} {s['record_f1']:>10.3f}")


if __name__ == "__main__":
    main()
