#!/usr/bin/env bash
# The model shipped with vnextract: trained on the bundled corpus and its gold set.
# Training is deterministic: running this twice writes the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
vnextract train --gold corpus/gold/dev.jsonl corpus/dev -o src/vnextract/stages/model/default.json --cv "${1:-0}"
