"""Command line: `vnextract extract | eval | show | text | tables | track | labelstudio | train`.

Imports stay inside the commands so that `vnextract --help` and a
one-document run start fast.
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    if _none_exists(args):
        return 1
    try:
        if getattr(args, "model", None):
            from .pipeline import using_model

            with using_model(args.model):
                return args.run(args)
        return args.run(args)
    except BrokenPipeError:
        return 0
    except (ValueError, OSError) as err:
        print(f"vnextract: error: {err}", file=sys.stderr)
        return 2


def _none_exists(args) -> bool:
    """Whether every input named is a path that does not exist (a mistyped
    folder): said on stderr before anything is read or written, so the output
    of an earlier run is left as it was. One missing input among others is
    that input's error, and the others are read."""
    named = getattr(args, "inputs", None) or ([args.input] if isinstance(getattr(args, "input", None), str) else [])
    if not named or any(name == "-" or os.path.lexists(name) for name in named):
        return False
    for name in named:
        print(f"vnextract: {name}: no such file or directory", file=sys.stderr)
    print("vnextract: none of the inputs exists: nothing was read or written", file=sys.stderr)
    return True


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vnextract",
        description="Indicator records (targets and results) from Vietnamese government news articles.",
    )
    _about(parser, ["vnextract extract corpus/dev -o records.csv", "vnextract show corpus/dev -o report",
                    "vnextract COMMAND --help"])
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command")

    ex = sub.add_parser("extract", help="extract records from .txt, .html, .docx, .pdf, .xlsx files, folders, JSONL or - (stdin)")
    ex.add_argument("inputs", nargs="+", help="files (.txt, .html, .docx, .pdf, .xlsx, .jsonl), folders of them (recursive), "
                                              "or - for standard input")
    ex.add_argument("-o", "--output", help="output file (.jsonl, .csv, .xlsx, .parquet); JSONL to stdout when absent")
    ex.add_argument("--format", choices=["jsonl", "csv", "xlsx", "parquet"], help="override the format the extension implies")
    ex.add_argument("--meta", help="TSV/CSV/.xlsx sheet of doc_id + locality/year (default: <folder>.sources.tsv beside a folder)")
    ex.add_argument("--workers", type=int, metavar="N", help="worker processes (default: the number of cores)")
    ex.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                    help="per-document time limit; a document over it is an error (default 60; 0: none)")
    ex.add_argument("--resume", action="store_true",
                    help="continue a killed run into the same -o file, skipping documents it finished")
    _add_progress(ex)
    ex.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="local worker processes (default) or a Dask cluster")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: start a LocalCluster)")
    ex.add_argument("--evidence", action="store_true",
                    help="add the evidence columns (where each decision came from) to a CSV, Excel or Parquet output; "
                         "JSONL always has them")
    _add_encoding(ex)
    _add_model(ex)
    _add_limits(ex)
    _about(ex, ["vnextract extract corpus/dev -o records.csv", "vnextract extract bao-cao.docx trang.html -o records.xlsx",
                "cat docs.jsonl | vnextract extract - > records.jsonl"])
    ex.set_defaults(run=_cmd_extract)

    ev = sub.add_parser("eval", help="score predictions against a gold set (SPEC §4)")
    ev.add_argument("inputs", nargs="*", help="documents to extract from (when --pred is not given)")
    ev.add_argument("--gold", required=True, help="gold records (JSONL)")
    ev.add_argument("--pred", help="existing predictions (JSONL, CSV, Excel or Parquet) instead of running extraction")
    ev.add_argument("--errors", help="write every FP, FN and wrong field to this CSV")
    ev.add_argument("--json", help="write the whole report as JSON")
    ev.add_argument("--meta", help="TSV/CSV/.xlsx sheet of doc_id + locality/year (default: <folder>.sources.tsv beside a folder)")
    ev.add_argument("--no-meta", action="store_true",
                    help="ignore metadata sheets beside folders: score the text alone")
    ev.add_argument("--docs", metavar="FILE",
                    help="score only the doc_ids listed in FILE (one per line, # comments), e.g. a held-out split")
    ev.add_argument("--all-gold", action="store_true",
                    help="score against the whole gold set and every prediction, even for documents on one side only "
                         "(default: only the documents both among the inputs and in the gold set)")
    ev.add_argument("--by", action="append", default=[], help="breakdown: doc, or a record field such as indicator_id (repeatable)")
    ev.add_argument("--cv", type=int, metavar="K",
                    help="K-fold cross-validation grouped by document: each fold scored by a model trained on the "
                         "other folds, beside the rules alone on the same folds")
    _add_model(ev)
    _add_encoding(ev)
    _add_limits(ev)
    _about(ev, ["vnextract eval --gold corpus/gold/dev.jsonl corpus/dev",
                "vnextract eval --gold corpus/gold/dev.jsonl --pred records.csv --errors errors.csv --by doc"])
    ev.set_defaults(run=_cmd_eval)

    sh = sub.add_parser("show", help="a review report as HTML files to open in a browser: each document's text with its records "
                                     "highlighted, a records table, the evidence of the selected record")
    sh.add_argument("inputs", nargs="+", help="the inputs of extract: files, folders, JSONL or -")
    sh.add_argument("-o", "--output", help="a folder (index.html and one page per document), or a .html file "
                                           "for one document (stdout when absent and one document)")
    sh.add_argument("--gold", help="gold records (JSONL): mark missed figures and wrong fields")
    sh.add_argument("--meta", help="TSV/CSV/.xlsx sheet of doc_id + locality/year (default: <folder>.sources.tsv beside a folder)")
    _add_progress(sh)
    _add_encoding(sh)
    sh.add_argument("--below", type=float, metavar="P",
                    help="show only the records whose confidence is below P (0-1), least certain first "
                         "(records without one, from tables or --model rules, are left out)")
    _add_model(sh)
    _add_limits(sh)
    _about(sh, ["vnextract show corpus/dev --gold corpus/gold/dev.jsonl -o report",
                "vnextract show bai-viet.html -o bai-viet-report.html"])
    sh.set_defaults(run=_cmd_show)

    _add_text_command(sub)
    _add_tables_command(sub)
    tr = sub.add_parser("track", help="targets against results: met / not met / on track / unknown per locality, indicator, year")
    tr.add_argument("inputs", nargs="+", help="records files written by extract (.jsonl, .csv, .xlsx, .parquet), "
                                              "or articles to extract first")
    tr.add_argument("-o", "--output", required=True,
                    help="a .csv, .xlsx, .parquet or .json file, or a folder (index.html with charts, tracking.csv, "
                         "tracking.json)")
    tr.add_argument("--meta", help="TSV/CSV/.xlsx sheet of doc_id + locality/year for articles (default: <folder>.sources.tsv beside a folder)")
    tr.add_argument("--by", default="locality", choices=("locality", "province", "province_2025"),
                    help="the place of a row: the record's locality (default), or the province that holds it "
                         "before (province) or after (province_2025) the July 2025 reorganisation")
    _add_model(tr)
    _add_progress(tr)
    _about(tr, ["vnextract track corpus/dev -o tracking", "vnextract track records.csv -o tracking.xlsx"],
           inputs="records files written by extract (.jsonl, .csv, .xlsx, .parquet), or articles, "
                  "which are extracted first; for articles, ")
    tr.set_defaults(run=_cmd_track)
    _add_labelstudio_command(sub)
    _add_train_command(sub)
    return parser


def _add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="MODEL",
                        help="decide status, year and indicator with this model file (written by `vnextract train`); "
                             "`rules` for the rules alone (default: the model shipped with vnextract)")


def _add_train_command(sub) -> None:
    tn = sub.add_parser("train", help="train the decisions (status, year, indicator) on a gold set (SPEC §3)",
                        description="Train the model that decides each record's status, year and indicator over "
                                    "the rules' candidates, from a gold set and its documents; print what it learned "
                                    "from and its cross-validated figures (folds grouped by document).")
    tn.add_argument("inputs", nargs="+", help="the gold set's documents: files, folders, JSONL or -")
    tn.add_argument("--gold", required=True, help="gold records (JSONL, SPEC §3)")
    tn.add_argument("-o", "--output", required=True, help="the model file to write (JSON)")
    tn.add_argument("--docs", metavar="FILE", help="train only on the doc_ids listed in FILE (one per line)")
    tn.add_argument("--cv", type=int, default=5, metavar="K", help="folds of the cross-validation printed (0: none)")
    tn.add_argument("--meta", help="TSV/CSV sheet of doc_id + locality/year (default: <folder>.sources.tsv beside a folder)")
    _add_encoding(tn)
    _about(tn, ["vnextract train --gold corpus/gold/dev.jsonl corpus/dev -o my-model.json",
                "vnextract train --gold gold.jsonl gold-texts/ -o my-model.json --docs train-ids.txt --cv 0"],
           inputs="the documents of the gold set: ")
    tn.set_defaults(run=_cmd_train)


def _training(args):
    """Gold and documents of `train` and `eval --cv`, restricted to --docs."""
    from .evaluation.gold import read_gold
    from .inputs.documents import iter_documents
    from .learning import prepare

    gold = read_gold(args.gold)
    if args.docs:
        wanted = _doc_list(args.docs, gold, args.gold)
        gold = [g for g in gold if g.get("doc_id") in wanted]
    limits = _limits(args) if hasattr(args, "max_chars") else None
    items = iter_documents(args.inputs, meta=_meta(args), sheets=not getattr(args, "no_meta", False),
                           encoding=_encoding(args), **({"limits": limits} if limits else {}))
    training = prepare(gold, items)
    for failure in training.failures:
        print(f"vnextract: skipped {failure}", file=sys.stderr)
    if not training.documents:
        raise ValueError(f"{args.gold}: no gold record belongs to any of the documents given "
                         "(their doc_ids are the file names without extension)")
    return training


def _print_folds(folds) -> None:
    print(f"{'fold':>4} {'docs':>5} {'gold':>5}   {'rules F1':>8} {'model F1':>8}   "
          f"{'status':>6} {'indic.':>6} {'year':>6} (model)")
    totals = {"rules": [0, 0, 0], "model": [0, 0, 0]}
    for k, fold in enumerate(folds, 1):
        for name in totals:
            score = getattr(fold, name).record
            totals[name] = [a + b for a, b in zip(totals[name], (score.tp, score.fp, score.fn))]
        acc = fold.model.field_accuracy
        print(f"{k:>4} {len(fold.documents):>5} {fold.model.record.support:>5}   {fold.rules.record.f1:>8.3f} "
              f"{fold.model.record.f1:>8.3f}   {acc['status']:>6.3f} {acc['indicator']:>6.3f} {acc['year']:>6.3f}")
    f1 = {name: 2 * tp / (2 * tp + fp + fn) if tp else 0.0 for name, (tp, fp, fn) in totals.items()}
    print(f"{'all':>4} {sum(len(f.documents) for f in folds):>5} {sum(f.model.record.support for f in folds):>5}   "
          f"{f1['rules']:>8.3f} {f1['model']:>8.3f}   (record F1, micro over the folds)")
    from .learning import pooled

    bands = pooled(folds).calibration()
    if bands:
        print("\nthe folds' records by confidence: " + "; ".join(
            f"{b['band']} {b['right']}/{b['records']} right" for b in bands))


def _cmd_train(args) -> int:
    from .learning import cross_validate, train
    from .progress import counted
    from .stages.decisions import DECISIONS

    training = _training(args)
    data = train(training, args.output)
    examples = training.examples
    gold = sum(1 for d in training.documents for g in training.golds[d.doc_id] if not g.get("optional"))
    print(f"trained on {counted(examples.documents, 'document')}: {examples.records} of their {gold} required gold records "
          f"found as figures ({len(examples.year)} year and {len(examples.indicator)} indicator candidates); "
          f"{sum(len(data[d]['weights']) for d in DECISIONS)} weights → {args.output}")
    if args.cv and len(training.documents) >= 2:
        folds = cross_validate(training.documents, training.golds, examples, args.cv)
        print(f"\n{len(folds)}-fold cross-validation, folds grouped by document (each fold scored by a model "
              "trained on the others):")
        _print_folds(folds)
    return 1 if training.failures else 0


def _about(parser: argparse.ArgumentParser, examples: list[str], inputs: str | None = "") -> None:
    """What the command reads (unless `inputs` is None) and examples, below its options."""
    from .inputs.kinds import READABLE

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    reads = "" if inputs is None else "\n".join(textwrap.wrap(f"inputs: {inputs}{READABLE}.", 78)) + "\n\n"
    parser.epilog = reads + "examples:\n" + "\n".join(f"  {line}" for line in examples)


def _add_progress(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--progress", action="store_true",
                        help="show a progress bar (default: only when stderr is a terminal)")


def _bar(args, total):
    """The progress bar of a command (see `progress`), or None; `total` is called only when one is shown."""
    if not (args.progress or sys.stderr.isatty()):
        return None
    from .progress import progress_bar

    return progress_bar(total(), sys.stderr)


def _version() -> str:
    from . import __version__

    return f"vnextract {__version__}"


def _cmd_extract(args) -> int:
    """Exit status: 0 when every document succeeded, 1 when any failed (see
    OUT.errors.jsonl), 2 for usage errors, 130 when interrupted."""
    from .batch.run import run

    try:
        summary = run(
            args.inputs,
            args.output,
            args.format,
            meta=_meta(args),
            workers=args.workers,
            engine=args.engine,
            scheduler=args.scheduler,
            timeout=args.timeout,
            resume=args.resume,
            progress=args.progress or sys.stderr.isatty(),
            encoding=_encoding(args),
            evidence=args.evidence,
            limits=_limits(args),
        )
    except KeyboardInterrupt:
        hint = "; run it again with --resume to continue" if args.output else ""
        print(f"vnextract: interrupted{hint}", file=sys.stderr)
        return 130
    print(summary.line(), file=sys.stderr)
    if not summary.documents:
        print("vnextract: no documents in the inputs: nothing was extracted", file=sys.stderr)
        return 1
    return 1 if summary.errors else 0


def _cmd_eval(args) -> int:
    from .evaluation.gold import read_gold
    from .evaluation.scoring import evaluate
    from .outputs.writers import read_records

    if args.cv:
        from .learning import cross_validate

        if args.pred or not args.inputs:
            raise ValueError("--cv trains and scores: give the documents, not --pred")
        if args.model:
            raise ValueError("--cv trains a model for each fold: --model has nothing to do there")
        training = _training(args)
        folds = cross_validate(training.documents, training.golds, training.examples, args.cv)
        print(f"{len(folds)}-fold cross-validation over {training.examples.documents} documents, grouped by document:")
        _print_folds(folds)
        return 1 if training.failures else 0

    gold = read_gold(args.gold)
    wanted = _doc_list(args.docs, gold, args.gold) if args.docs else None
    if wanted is not None:
        gold = [g for g in gold if g.get("doc_id") in wanted]
    failed = 0
    if args.pred:
        if args.model:
            raise ValueError("--pred scores records already made: --model has nothing to decide there")
        predicted = read_records(args.pred)
        for number, record in enumerate(predicted, 1):
            doc_id = record.get("doc_id")
            if isinstance(doc_id, int) and not isinstance(doc_id, bool):
                record["doc_id"] = str(doc_id)
            elif not isinstance(doc_id, str) or not doc_id:
                raise ValueError(f"{args.pred}: record {number} has no doc_id ({doc_id!r}); every record needs "
                                 f"the id of its document to be scored")
        gold_docs, named = {g.get("doc_id") for g in gold}, {p.get("doc_id") for p in predicted}
        if len(gold_docs & named) < len(gold_docs) / 2:
            print(f"vnextract: gold has {len(gold_docs)} documents, {len(gold_docs & named)} of them in {args.pred}; "
                  f"the gold records of the others count as missed (give the documents instead of --pred to "
                  f"score only those both sides hold)", file=sys.stderr)
    else:
        if not args.inputs:
            raise ValueError("give the documents to extract from, or --pred FILE")
        from .pipeline import extract_documents

        predicted = []
        given: set[str] = set()
        for item, records in extract_documents(args.inputs, meta=_meta(args), sheets=not args.no_meta,
                                               encoding=_encoding(args), limits=_limits(args)):
            if wanted is not None and item.doc_id not in wanted:
                continue
            given.add(item.doc_id)
            if not hasattr(item, "text"):
                failed += 1
                print(f"vnextract: skipped {item}", file=sys.stderr)
            predicted.extend(r.to_dict() for r in records)
        if not given:
            print(f"vnextract: no documents in {', '.join(args.inputs)}: nothing to score", file=sys.stderr)
            return 1
        if not args.all_gold:
            if not {g.get("doc_id") for g in gold} & given:
                print(f"vnextract: none of the {len(given)} input documents is in {args.gold}: nothing to score "
                      f"(--all-gold scores them against the whole gold set)", file=sys.stderr)
                return 1
            gold, predicted = _on_both_sides(gold, predicted, given)
    if wanted is not None:
        predicted = [p for p in predicted if p.get("doc_id") in wanted]
    report = evaluate(gold, predicted)
    if args.errors:
        report.write_errors_csv(args.errors)
    if args.json:
        report.write_json(args.json)
    print(report.format_table(by=args.by))
    if failed:
        # Scores without those documents would mislead: say so, and fail.
        print(f"vnextract: {failed} documents could not be read or extracted; the scores above lack them", file=sys.stderr)
    return 1 if failed else 0


def _on_both_sides(gold: list[dict], predicted: list[dict], given: set[str]) -> tuple[list[dict], list[dict]]:
    """The gold and predicted records of the documents both among the inputs
    and in the gold set, with a word on stderr for each side that has more."""
    gold_docs = {g.get("doc_id") for g in gold}
    both = gold_docs & given
    if len(both) < len(gold_docs):
        print(f"vnextract: gold has {len(gold_docs)} documents, {len(both)} of them among the inputs; scoring only "
              f"those {len(both)} (--all-gold scores the others' gold records as missed)", file=sys.stderr)
    if len(both) < len(given):
        extra = sorted(given - gold_docs)
        print(f"vnextract: {len(extra)} input documents have no gold records ({', '.join(extra[:3])}"
              f"{' …' if len(extra) > 3 else ''}); their records are not scored (--all-gold scores them as "
              f"false positives)", file=sys.stderr)
    return ([g for g in gold if g.get("doc_id") in both], [p for p in predicted if p.get("doc_id") in both])


def _any_document(inputs: list[str], args) -> bool:
    """Whether the inputs hold any document (or are standard input, read once);
    says so on stderr when they hold none, as `extract` does."""
    if "-" in inputs:
        return True
    from .inputs.documents import READS, iter_documents

    for _ in iter_documents(inputs, sheets=False, limits=_limits(args), defer=True, notices=lambda message: None):
        return True
    print(f"vnextract: no documents in {', '.join(inputs)}: nothing was done; vnextract reads {READS}",
          file=sys.stderr)
    return False


def _doc_list(path, gold: list[dict], gold_path) -> set[str]:
    """doc_ids of a split file (`--docs`) that have gold records: a name with
    none (a typo, a file renamed) is said on stderr, since it would otherwise
    drop out of the training or the score unseen; with no name left it is an error."""
    try:
        lines = Path(path).read_bytes().decode("utf-8").splitlines()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at position {exc.start})") from None
    ids = {line.split("#", 1)[0].strip() for line in lines} - {""}
    if not ids:
        raise ValueError(f"{path}: no doc_ids in the split file")
    missing = sorted(ids - {g.get("doc_id") for g in gold})
    if len(missing) == len(ids):
        raise ValueError(f"{path}: none of its {len(ids)} doc_ids has a gold record in {gold_path}")
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        print(f"vnextract: {path}: {len(missing)} of its {len(ids)} doc_ids "
              f"{'has' if len(missing) == 1 else 'have'} no gold record in {gold_path}: {shown}", file=sys.stderr)
    return ids


def _meta(args):
    if not getattr(args, "meta", None):
        return None
    from .inputs.metadata import read_sheet

    return read_sheet(args.meta)


def _cmd_show(args) -> int:
    """Exit status 1 when a document could not be read (its row says why)."""
    from .inputs.documents import count_documents
    from .progress import counted
    from .review.report import collect, document_page, write_report

    if not _any_document(args.inputs, args):
        return 1
    if args.output:
        meta, encoding = _meta(args), _encoding(args)
        bar = _bar(args, lambda: count_documents(args.inputs))
        try:
            reports = write_report(args.inputs, args.output, gold=args.gold, meta=meta, encoding=encoding, progress=bar,
                                   below=args.below, limits=_limits(args))
        finally:
            if bar is not None:
                bar.close()
        where = Path(args.output)
        where = where if where.suffix.lower() in (".html", ".htm") else where / "index.html"
        filtered = (f" ({sum(len(r.shown()) for r in reports)} shown: confidence below {args.below:g})"
                    if args.below is not None else "")
        print(f"vnextract show: {counted(len(reports), 'document')}, "
              f"{counted(sum(len(r.records) for r in reports), 'record')}{filtered} → {where}", file=sys.stderr)
    else:
        reports = collect(args.inputs, gold=args.gold, meta=_meta(args), encoding=_encoding(args), limits=_limits(args))
        if len(reports) != 1:
            raise ValueError(f"{len(reports)} documents: give a folder to -o")
        if reports[0].error is not None:
            raise ValueError(f"{reports[0].source}: {reports[0].error}")
        reports[0].below = args.below
        sys.stdout.write(document_page(reports[0]))
    for report in reports:
        if report.error is not None:
            print(f"vnextract: skipped {report.source}: {report.error}", file=sys.stderr)
    return 1 if any(r.error is not None for r in reports) else 0


# ------------------------------------------------- encodings and `text` ---


def _add_encoding(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--encoding", metavar="NAME",
                        help="read text files and pages in this encoding instead of detecting it: utf-8, "
                             "utf-16, utf-32, windows-1258, tcvn3, vni (or any Python codec name)")


def _add_limits(parser: argparse.ArgumentParser) -> None:
    """The bounds of `inputs/limits.Limits`, one option each."""
    from .inputs.limits import DEFAULT_LIMITS as limits

    group = parser.add_argument_group("limits on each input (an input over one is that document's error)")
    group.add_argument("--max-file-mb", type=float, metavar="MB", default=limits.file_mb,
                       help=f"size of a file as stored (default {limits.file_mb:g})")
    group.add_argument("--max-part-mb", type=float, metavar="MB", default=limits.part_mb,
                       help=f"one part of a .docx, unpacked (default {limits.part_mb:g})")
    group.add_argument("--max-unpacked-mb", type=float, metavar="MB", default=limits.unpacked_mb,
                       help=f"all parts of a .docx together, unpacked (default {limits.unpacked_mb:g})")
    group.add_argument("--max-pages", type=int, metavar="N", default=limits.pages,
                       help=f"pages of a PDF (default {limits.pages:,})")
    group.add_argument("--max-chars", type=int, metavar="N", default=limits.chars,
                       help=f"characters of a document's text (default {limits.chars:,})")


def _limits(args):
    from .inputs.limits import Limits

    values = {name: getattr(args, f"max_{name}") for name in ("file_mb", "part_mb", "unpacked_mb", "pages", "chars")}
    wrong = [name for name, value in values.items() if value <= 0]
    if wrong:
        raise ValueError(f"--max-{wrong[0].replace('_', '-')} must be above 0")
    return Limits(**values)


def _encoding(args) -> str | None:
    """The codec of --encoding, checked before any input is read."""
    if not getattr(args, "encoding", None):
        return None
    from .inputs.encodings import encoding_name

    return encoding_name(args.encoding)


def _add_tables_command(sub) -> None:
    tb = sub.add_parser("tables", help="print the tables found in documents, with each column's role "
                                       "(label, unit, target, actual, comparison …) and year, as TSV or Markdown")
    tb.add_argument("inputs", nargs="+", help=".txt, .html, .docx, .pdf, .xlsx files, folders or JSONL")
    tb.add_argument("--format", choices=["tsv", "markdown"], default="tsv")
    _add_encoding(tb)
    _about(tb, ["vnextract tables bao-cao.docx", "vnextract tables tests/fixtures/tables/results.xlsx --format markdown"])
    tb.set_defaults(run=_cmd_tables)


def _cmd_tables(args) -> int:
    """Exit status 1 when an input could not be read (the others are printed)."""
    from .inputs.documents import DocumentFailure, iter_documents
    from .stages.tables import find_tables, show_table

    failed = False
    for item in iter_documents(args.inputs, encoding=_encoding(args)):
        if isinstance(item, DocumentFailure):
            print(f"vnextract: {item}", file=sys.stderr)
            failed = True
            continue
        tables = find_tables(item.text)
        for k, table in enumerate(tables, 1):
            caption = item.text[table.caption[0]:table.caption[1]] if table.caption else ""
            print(f"# {item.doc_id}: table {k} of {len(tables)} ({table.layout} rows"
                  f"{', transposed' if table.transposed else ''}, characters {table.start}-{table.end}"
                  f"{', no figure columns' if not table.has_figures else ''}){': ' + caption if caption else ''}")
            print(show_table(table, args.format))
            print()
        if not tables:
            print(f"# {item.doc_id}: no tables", file=sys.stderr)
    return 1 if failed else 0


def _add_text_command(sub) -> None:
    tx = sub.add_parser("text", help="print the text that record offsets index (after reading HTML, Word, PDF "
                                     "and decoding), so text[start:end] == span can be checked")
    tx.add_argument("input", help="a .txt, .html, .docx, .pdf or .xlsx file, or a .jsonl (with --id)")
    tx.add_argument("--id", dest="doc_id", help="the document to print when the input holds several")
    _add_encoding(tx)
    _add_limits(tx)
    _about(tx, ["vnextract text bao-cao.pdf > bao-cao.txt", "vnextract text docs.jsonl --id haiha-2024"])
    tx.set_defaults(run=_cmd_text)


def _cmd_text(args) -> int:
    """Exactly the NFC text, UTF-8, nothing added: offsets count its characters."""
    from .inputs.documents import DocumentFailure, iter_documents

    found = []
    for item in iter_documents([args.input], encoding=_encoding(args), limits=_limits(args)):
        if args.doc_id is None or item.doc_id == args.doc_id:
            found.append(item)
        if len(found) > 1 and args.doc_id is None:
            raise ValueError(f"{args.input} holds several documents; choose one with --id "
                             f"(the first two: {found[0].doc_id}, {found[1].doc_id})")
    if not found:
        raise ValueError(f"{args.input}: no document with id {args.doc_id!r}" if args.doc_id
                         else f"{args.input}: no document")
    item = found[0]
    if isinstance(item, DocumentFailure):
        print(f"vnextract: {item}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(item.text.encode("utf-8"))
    sys.stdout.flush()
    return 0


def _cmd_track(args) -> int:
    """Exit status 1 when an input could not be read (the table is written without it)."""
    from .tracking import load_records, track_records, write_tracking
    from .tracking.matching import count_inputs, records_files
    from .tracking.writing import summary

    if args.model:
        for path in records_files(args.inputs):
            print(f"vnextract: --model does not apply to {path}: its records were decided when they were extracted",
                  file=sys.stderr)
    meta = _meta(args)
    bar = _bar(args, lambda: count_inputs(args.inputs))
    try:
        loaded = load_records(args.inputs, meta=meta, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    for problem in loaded.problems:
        print(f"vnextract: skipped {problem}", file=sys.stderr)
    try:
        rows = track_records(loaded.records, by=args.by)
    except ValueError as err:
        print(f"vnextract: {err}", file=sys.stderr)
        return 1
    written = write_tracking(rows, args.output)
    print(f"vnextract track: {summary(rows, len(loaded.records), loaded.documents)} → "
          + ", ".join(str(p) for p in written), file=sys.stderr)
    return 1 if loaded.problems else 0


# ------------------------------------------------------- Label Studio ---


def _add_labelstudio_command(sub) -> None:
    ls = sub.add_parser("labelstudio", help="make a gold set in Label Studio: the labelling config, tasks with "
                                            "the records as pre-annotations, and the export back as gold JSONL")
    _about(ls, ["vnextract labelstudio config -o config.xml", "vnextract labelstudio export corpus/dev -o tasks.json",
                "vnextract labelstudio import export.json -o gold.jsonl --texts gold-texts"], inputs=None)
    cmds = ls.add_subparsers(dest="labelstudio_command", required=True)
    cf = cmds.add_parser("config", help="print the labelling configuration (paste it into the project's settings)")
    cf.add_argument("-o", "--output", help="write it to this file instead of stdout")
    _about(cf, ["vnextract labelstudio config", "vnextract labelstudio config -o config.xml"], inputs=None)
    cf.set_defaults(run=_cmd_ls_config)
    ex = cmds.add_parser("export", help="Label Studio tasks (JSON) with vnextract's records as predictions")
    ex.add_argument("inputs", nargs="+", help="documents, as for extract")
    ex.add_argument("-o", "--output", required=True, help="tasks file to import into Label Studio (.json)")
    ex.add_argument("--records", help="records written by extract for these documents (default: extract them now)")
    ex.add_argument("--meta", help="TSV/CSV/.xlsx sheet of doc_id + locality/year (default: <folder>.sources.tsv beside a folder)")
    _add_encoding(ex)
    ex.add_argument("--order", choices=["text", "uncertain"], default="text",
                    help="task order: as the documents come, or the least certain documents first "
                         "(lowest mean record confidence), so labelling goes where the model is unsure")
    _add_model(ex)
    _add_limits(ex)
    _about(ex, ["vnextract labelstudio export corpus/dev -o tasks.json",
                "vnextract labelstudio export corpus/dev --records records.jsonl -o tasks.json"])
    ex.set_defaults(run=_cmd_ls_export)
    im = cmds.add_parser("import", help="a Label Studio JSON export → gold records (SPEC §3 JSONL)")
    im.add_argument("export", help="the project exported from Label Studio as JSON")
    im.add_argument("-o", "--output", required=True, help="gold records file (.jsonl)")
    im.add_argument("--texts", metavar="FOLDER", help="also write each task's text as FOLDER/<doc_id>.txt, "
                                                       "so the gold set's documents travel with it")
    _about(im, ["vnextract labelstudio import export.json -o gold.jsonl",
                "vnextract labelstudio import export.json -o gold/dev.jsonl --texts gold/dev"], inputs=None)
    im.set_defaults(run=_cmd_ls_import)


def _cmd_ls_config(args) -> int:
    from .review.labelstudio import labelling_config

    config = labelling_config()
    if args.output:
        from .outputs.writers import atomic_path

        with atomic_path(args.output, "w", encoding="utf-8") as handle:
            handle.write(config)
    else:
        sys.stdout.write(config)
    return 0


def _cmd_ls_export(args) -> int:
    """Exit status 1 when a document could not be read (the others are written)."""
    import json

    if not _any_document(args.inputs, args):
        return 1
    from .outputs.writers import atomic_path
    from .review.labelstudio import tasks_from_documents, uncertain_first

    if args.records:
        if args.model:
            raise ValueError("--records gives records already decided: --model has nothing to decide there")
        from .inputs.documents import iter_documents
        from .outputs.writers import read_records

        by_doc: dict[str, list] = {}
        for record in read_records(args.records):
            by_doc.setdefault(record["doc_id"], []).append(record)
        documents = list(iter_documents(args.inputs, meta=_meta(args), encoding=_encoding(args), limits=_limits(args)))
        unknown = sorted(set(by_doc) - {d.doc_id for d in documents})
        if unknown:
            raise ValueError(f"{args.records}: records of documents not among the inputs ({', '.join(unknown[:3])}"
                             f"{' …' if len(unknown) > 3 else ''}); give the documents they were extracted from")
        pairs = ((d, by_doc.get(d.doc_id, [])) for d in documents)
    else:
        from .pipeline import extract_documents

        pairs = extract_documents(args.inputs, meta=_meta(args), encoding=_encoding(args), limits=_limits(args))
    tasks, failures = tasks_from_documents(pairs)
    if args.order == "uncertain":
        tasks = uncertain_first(tasks)
    for failure in failures:
        print(f"vnextract: skipped {failure}", file=sys.stderr)
    with atomic_path(args.output, "w", encoding="utf-8") as handle:
        json.dump(tasks, handle, ensure_ascii=False, indent=1)
    regions = sum(len({r["id"] for r in t["predictions"][0]["result"]}) for t in tasks)
    print(f"vnextract labelstudio: {len(tasks)} tasks, {regions} pre-annotated records → {args.output}", file=sys.stderr)
    return 1 if failures else 0


def _cmd_ls_import(args) -> int:
    from .outputs.writers import atomic_path
    from .review.labelstudio import gold_line, gold_records, read_export

    export = read_export(args.export)
    if isinstance(export, list) and export and not any(isinstance(t, dict) and t.get("annotations") for t in export):
        print(f"vnextract: {args.export}: no annotations in its {len(export)} tasks: it looks like a tasks "
              f"file (what `vnextract labelstudio export` writes), not an export. Label the tasks in Label Studio, "
              f"export the project as JSON (Export → JSON) and import that file; nothing written", file=sys.stderr)
        return 1
    golds, notes = gold_records(export, source=str(args.export))
    for note in notes:
        print(f"vnextract: {note}", file=sys.stderr)
    texts = _task_texts(export, golds, Path(args.texts)) if args.texts else []  # every id checked before writing
    with atomic_path(args.output, "w", encoding="utf-8") as handle:
        handle.writelines(gold_line(g) + "\n" for g in golds)
    for path, text in texts:
        with atomic_path(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    documents = len({g["doc_id"] for g in golds})
    print(f"vnextract labelstudio: {len(golds)} gold records of {documents} documents → {args.output}", file=sys.stderr)
    return 0


def _task_texts(export: list, golds: list[dict], folder: Path) -> list[tuple[Path, str]]:
    """The files for the texts of the annotated tasks: UTF-8 .txt files named by
    doc_id ("a/b" in a subfolder, as a folder read recursively names it). Every
    id is checked here, before anything is written."""
    labelled = {g["doc_id"] for g in golds}
    files = []
    for task in export:
        doc_id = str(task["data"].get("doc_id") or "")
        if doc_id in labelled:
            if doc_id.startswith("/") or any(part in ("", ".", "..") for part in doc_id.split("/")):
                raise ValueError(f"doc_id {doc_id!r} cannot be a file name inside {folder}; write the texts "
                                 f"yourself; nothing written")
            files.append((folder / f"{doc_id}.txt", task["data"]["text"]))
    return files


if __name__ == "__main__":
    raise SystemExit(main())
