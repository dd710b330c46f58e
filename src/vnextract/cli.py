"""Command line: `vnextract extract | eval | show | text | track | labelstudio`.

Imports stay inside the commands so that `vnextract --help` and a
one-document run start fast.
"""
from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except BrokenPipeError:
        return 0
    except (ValueError, OSError) as err:
        print(f"vnextract: error: {err}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vnextract",
        description="Indicator records (targets and results) from Vietnamese government news articles.",
    )
    _about(parser, ["vnextract extract corpus/dev -o records.csv", "vnextract show corpus/dev -o report",
                    "vnextract COMMAND --help"])
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command")

    ex = sub.add_parser("extract", help="extract records from .txt, .html, .docx, .pdf files, folders, JSONL or - (stdin)")
    ex.add_argument("inputs", nargs="+", help="files (.txt, .html, .docx, .pdf, .jsonl), folders of them (recursive), "
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
    ev.add_argument("--by", action="append", default=[], help="breakdown: doc, or a record field such as indicator_id (repeatable)")
    _add_encoding(ev)
    _about(ev, ["vnextract eval --gold corpus/gold/dev.jsonl corpus/dev",
                "vnextract eval --gold corpus/gold/dev.jsonl --pred records.csv --errors errors.csv --by doc"])
    ev.set_defaults(run=_cmd_eval)

    sh = sub.add_parser("show", help="a review report in the browser: each document's text with its records "
                                     "highlighted, a records table, the evidence of the selected record")
    sh.add_argument("inputs", nargs="+", help="the inputs of extract: files, folders, JSONL or -")
    sh.add_argument("-o", "--output", help="a folder (index.html and one page per document), or a .html file "
                                           "for one document (stdout when absent and one document)")
    sh.add_argument("--gold", help="gold records (JSONL): mark missed figures and wrong fields")
    sh.add_argument("--meta", help="TSV/CSV/.xlsx sheet of doc_id + locality/year (default: <folder>.sources.tsv beside a folder)")
    _add_progress(sh)
    _add_encoding(sh)
    _about(sh, ["vnextract show corpus/dev --gold corpus/gold/dev.jsonl -o report",
                "vnextract show bai-viet.html -o bai-viet-report.html"])
    sh.set_defaults(run=_cmd_show)

    _add_text_command(sub)
    tr = sub.add_parser("track", help="targets against results: met / not met / on track / unknown per locality, indicator, year")
    tr.add_argument("inputs", nargs="+", help="records files written by extract (.jsonl, .csv, .xlsx, .parquet), "
                                              "or articles to extract first")
    tr.add_argument("-o", "--output", required=True,
                    help="a .csv, .xlsx, .parquet or .json file, or a folder (index.html with charts, tracking.csv, "
                         "tracking.json)")
    tr.add_argument("--meta", help="TSV/CSV/.xlsx sheet of doc_id + locality/year for articles (default: <folder>.sources.tsv beside a folder)")
    _add_progress(tr)
    _about(tr, ["vnextract track corpus/dev -o tracking", "vnextract track records.csv -o tracking.xlsx"],
           inputs="records files written by extract (.jsonl, .csv, .xlsx, .parquet), or articles, "
                  "which are extracted first; for articles, ")
    tr.set_defaults(run=_cmd_track)
    _add_labelstudio_command(sub)
    return parser


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
        )
    except KeyboardInterrupt:
        hint = "; run it again with --resume to continue" if args.output else ""
        print(f"vnextract: interrupted{hint}", file=sys.stderr)
        return 130
    print(summary.line(), file=sys.stderr)
    return 1 if summary.errors else 0


def _cmd_eval(args) -> int:
    from .evaluation.gold import read_gold
    from .evaluation.scoring import evaluate
    from .outputs.writers import read_records

    gold = read_gold(args.gold)
    wanted = _doc_list(args.docs) if args.docs else None
    if wanted is not None:
        gold = [g for g in gold if g.get("doc_id") in wanted]
    failed = 0
    if args.pred:
        predicted = read_records(args.pred)
    else:
        if not args.inputs:
            raise ValueError("give the documents to extract from, or --pred FILE")
        from .pipeline import extract_documents

        predicted = []
        for item, records in extract_documents(args.inputs, meta=_meta(args), sheets=not args.no_meta,
                                               encoding=_encoding(args)):
            if wanted is not None and item.doc_id not in wanted:
                continue
            if not hasattr(item, "text"):
                failed += 1
                print(f"vnextract: skipped {item}", file=sys.stderr)
            predicted.extend(r.to_dict() for r in records)
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


def _doc_list(path) -> set[str]:
    """doc_ids of a split file; a name that is not there would silently score nothing."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    ids = {line.split("#", 1)[0].strip() for line in lines} - {""}
    if not ids:
        raise ValueError(f"{path}: no doc_ids in the split file")
    return ids


def _meta(args):
    if not getattr(args, "meta", None):
        return None
    from .inputs.metadata import read_sheet

    return read_sheet(args.meta)


def _cmd_show(args) -> int:
    """Exit status 1 when a document could not be read (its row says why)."""
    from .inputs.documents import count_documents
    from .review.report import collect, document_page, write_report

    if args.output:
        meta, encoding = _meta(args), _encoding(args)
        bar = _bar(args, lambda: count_documents(args.inputs))
        try:
            reports = write_report(args.inputs, args.output, gold=args.gold, meta=meta, encoding=encoding, progress=bar)
        finally:
            if bar is not None:
                bar.close()
        where = Path(args.output)
        where = where if where.suffix.lower() in (".html", ".htm") else where / "index.html"
        print(f"vnextract show: {len(reports)} documents, {sum(len(r.records) for r in reports)} records → {where}",
              file=sys.stderr)
    else:
        reports = collect(args.inputs, gold=args.gold, meta=_meta(args), encoding=_encoding(args))
        if len(reports) != 1:
            raise ValueError(f"{len(reports)} documents: give a folder to -o")
        if reports[0].error is not None:
            raise ValueError(f"{reports[0].source}: {reports[0].error}")
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


def _encoding(args) -> str | None:
    """The codec of --encoding, checked before any input is read."""
    if not getattr(args, "encoding", None):
        return None
    from .inputs.encodings import encoding_name

    return encoding_name(args.encoding)


def _add_text_command(sub) -> None:
    tx = sub.add_parser("text", help="print the text that record offsets index (after reading HTML, Word, PDF "
                                     "and decoding), so text[start:end] == span can be checked")
    tx.add_argument("input", help="a .txt, .html, .docx or .pdf file, or a .jsonl (with --id)")
    tx.add_argument("--id", dest="doc_id", help="the document to print when the input holds several")
    _add_encoding(tx)
    _about(tx, ["vnextract text bao-cao.pdf > bao-cao.txt", "vnextract text docs.jsonl --id haiha-2024"])
    tx.set_defaults(run=_cmd_text)


def _cmd_text(args) -> int:
    """Exactly the NFC text, UTF-8, nothing added: offsets count its characters."""
    from .inputs.documents import DocumentFailure, iter_documents

    found = []
    for item in iter_documents([args.input], encoding=_encoding(args)):
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
    from .tracking.matching import count_inputs
    from .tracking.writing import summary

    meta = _meta(args)
    bar = _bar(args, lambda: count_inputs(args.inputs))
    try:
        loaded = load_records(args.inputs, meta=meta, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    for problem in loaded.problems:
        print(f"vnextract: skipped {problem}", file=sys.stderr)
    rows = track_records(loaded.records)
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

    from .outputs.writers import atomic_path
    from .review.labelstudio import tasks_from_documents

    if args.records:
        from .inputs.documents import iter_documents
        from .outputs.writers import read_records

        by_doc: dict[str, list] = {}
        for record in read_records(args.records):
            by_doc.setdefault(record["doc_id"], []).append(record)
        documents = list(iter_documents(args.inputs, meta=_meta(args), encoding=_encoding(args)))
        unknown = sorted(set(by_doc) - {d.doc_id for d in documents})
        if unknown:
            raise ValueError(f"{args.records}: records of documents not among the inputs ({', '.join(unknown[:3])}"
                             f"{' …' if len(unknown) > 3 else ''}); give the documents they were extracted from")
        pairs = ((d, by_doc.get(d.doc_id, [])) for d in documents)
    else:
        from .pipeline import extract_documents

        pairs = extract_documents(args.inputs, meta=_meta(args), encoding=_encoding(args))
    tasks, failures = tasks_from_documents(pairs)
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
    golds, notes = gold_records(export, source=str(args.export))
    for note in notes:
        print(f"vnextract: {note}", file=sys.stderr)
    with atomic_path(args.output, "w", encoding="utf-8") as handle:
        handle.writelines(gold_line(g) + "\n" for g in golds)
    if args.texts:
        _write_task_texts(export, golds, Path(args.texts))
    documents = len({g["doc_id"] for g in golds})
    print(f"vnextract labelstudio: {len(golds)} gold records of {documents} documents → {args.output}", file=sys.stderr)
    return 0


def _write_task_texts(export: list, golds: list[dict], folder: Path) -> None:
    """The texts of the annotated tasks, as UTF-8 .txt files named by doc_id
    ("a/b" in a subfolder, as a folder read recursively names it)."""
    from .outputs.writers import atomic_path

    labelled = {g["doc_id"] for g in golds}
    for task in export:
        doc_id = str(task["data"].get("doc_id") or "")
        if doc_id in labelled:
            if doc_id.startswith("/") or any(part in ("", ".", "..") for part in doc_id.split("/")):
                raise ValueError(f"doc_id {doc_id!r} cannot be a file name inside {folder}; write the texts yourself")
            with atomic_path(folder / f"{doc_id}.txt", "w", encoding="utf-8", newline="") as handle:
                handle.write(task["data"]["text"])


if __name__ == "__main__":
    raise SystemExit(main())
