"""`vnextract show`: the review report, opened from disk in headless Chromium.

The browser is Debian's `chromium` (installed by .ci/run), driven by
Playwright without its own browser download. A missing browser fails these
tests with a message saying how to install it; they are never skipped. The
screenshot of a document page is kept in tests/artifacts/report.png
(VNEXTRACT_UPDATE_SCREENSHOT=1 also copies it to docs/report.png, the
README's picture).
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from vnextract.cli import main
from vnextract.outputs.writers import load_jsonl_records
from vnextract.review.report import collect, document_page, script_json

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "corpus" / "dev"
GOLD = ROOT / "corpus" / "gold" / "dev.jsonl"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("VNEXTRACT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DOCS = ("haiha-2024", "damha-2024")
PAYLOADS = ("<script>window.__pwned = 1</script>", "<img src=x onerror=\"window.__pwned = 2\">",
            "</script><script>window.__pwned = 3</script>")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: install it (apt-get install -y chromium) or set VNEXTRACT_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install -e '.[test]' (no `playwright install` needed)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.requests = []
    tab.errors = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The report of two dev articles, scored against the dev gold set."""
    out = tmp_path_factory.mktemp("report")
    gold = out / "gold.jsonl"
    gold.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in load_jsonl_records(GOLD)
                            if g["doc_id"] in DOCS), encoding="utf-8")
    inputs = [os.path.relpath(DEV / f"{d}.txt") for d in DOCS]  # as a user types them, from the checkout
    assert main(["show", *inputs, "--gold", str(gold), "-o", str(out / "site")]) == 0
    return out / "site", {r.doc_id: r for r in collect(inputs, gold=gold)}


def test_the_index_lists_documents_sorts_and_searches(page, report):
    site, reports = report
    page.goto((site / "index.html").as_uri())
    rows = page.locator("#documents tbody tr")
    assert rows.count() == len(DOCS)
    names = lambda: [rows.nth(k).locator("td").first.inner_text() for k in range(rows.count())]
    counts = {d: str(len(r.records)) for d, r in reports.items()}
    page.click("#documents th:nth-child(2)")  # records, ascending
    assert [counts[n] for n in names()] == sorted(counts.values(), key=int)
    page.click("#documents th:nth-child(2)")
    assert [counts[n] for n in names()] == sorted(counts.values(), key=int, reverse=True)
    page.fill("#search", "damha")
    assert [rows.nth(k).is_visible() for k in range(rows.count())] == [n == "damha-2024" for n in names()]
    assert all(url.startswith("file://") for url in page.requests) and not page.errors


def test_the_index_with_gold_opens_with_the_scores_eval_prints(page, report, capsys):
    site, _ = report
    gold = site.parent / "gold.jsonl"
    inputs = [os.path.relpath(DEV / f"{d}.txt") for d in DOCS]
    main(["eval", "--gold", str(gold), *inputs])
    printed = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()
               if line.startswith(("mention ", "record ")) and "=" not in line}  # the table, not the summary line
    page.goto((site / "index.html").as_uri())
    scores = page.locator("#scores")
    assert scores.is_visible()
    assert scores.bounding_box()["y"] < page.locator("#documents").bounding_box()["y"]
    shown = {}
    for k in range(page.locator("#scores tbody tr").count()):
        cells = page.locator("#scores tbody tr").nth(k).locator("th, td").all_inner_texts()
        shown[cells[0]] = cells[1:]
    assert shown == printed  # P, R, F1, TP, FP, FN, support of mentions and records
    accuracy = page.locator("#field-accuracy").inner_text()
    assert "status" in accuracy and "locality" in accuracy
    assert "2 documents" in page.locator("#scores-note").inner_text()


def test_the_index_without_gold_has_no_scores(page, tmp_path):
    assert main(["show", str(DEV / "haiha-2024.txt"), str(DEV / "damha-2024.txt"), "-o", str(tmp_path / "site")]) == 0
    page.goto((tmp_path / "site" / "index.html").as_uri())
    assert page.locator("#scores").count() == 0


def test_a_report_written_again_into_its_folder_keeps_only_its_own_pages(tmp_path):
    site = tmp_path / "site"
    assert main(["show", str(DEV / "haiha-2024.txt"), str(DEV / "damha-2024.txt"), "-o", str(site)]) == 0
    (site / "docs" / "notes.txt").write_text("a reader's own file", encoding="utf-8")
    assert main(["show", str(DEV / "haiha-2024.txt"), "-o", str(site)]) == 0
    names = sorted(p.name for p in (site / "docs").iterdir())
    assert len(names) == 2 and names[0].startswith("haiha-2024-") and names[1] == "notes.txt"


def test_a_document_page_highlights_every_record_and_selects_both_ways(page, report):
    site, reports = report
    page.goto((site / "index.html").as_uri())
    page.click("text=haiha-2024")
    records = reports["haiha-2024"].records
    marks = page.locator("#text mark.record")
    assert marks.count() == len(records)
    for k in range(marks.count()):
        assert (int(marks.nth(k).get_attribute("data-start")), int(marks.nth(k).get_attribute("data-end"))) == \
            (records[k]["start"], records[k]["end"])
        assert marks.nth(k).inner_text() == records[k]["span"]
    k = len(records) // 2
    page.locator("#records tr.rec").nth(k).click()
    selected = page.locator("#text mark.record.selected")
    assert selected.count() == 1 and selected.get_attribute("data-start") == str(records[k]["start"])
    status = records[k]["evidence"]["status"]
    if status["start"] is not None:
        shown = "".join(page.locator("#text span.ev-status").all_inner_texts())
        assert shown == status["text"]
    assert page.locator("#evidence dt").count() == 6
    page.locator("#text mark.record").nth(1).click()
    assert page.locator("#records tr.rec.selected").get_attribute("data-i") == "1"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#records tr.rec").nth(3).click()
    page.screenshot(path=str(ARTIFACTS / "report.png"))
    if os.environ.get("VNEXTRACT_UPDATE_SCREENSHOT"):
        shutil.copy(ARTIFACTS / "report.png", ROOT / "docs" / "report.png")
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
    assert all(url.startswith("file://") for url in page.requests) and not page.errors


def test_filters_and_gold_errors_are_visible(page, report):
    site, reports = report
    page.goto((site / "index.html").as_uri())
    page.click("text=damha-2024")
    damha = reports["damha-2024"]
    assert page.locator("#text mark.record.wrong").count() == sum(m["error"] == "wrong" for m in damha.marks.values())
    assert page.locator("#records tr.gold.missed").count() == len(damha.missed)
    page.select_option("#status-filter", "target")
    visible = [r for r in page.locator("#records tr.rec").all() if r.is_visible()]
    assert len(visible) == sum(r["status"] == "target" for r in damha.records)
    page.select_option("#status-filter", "")
    page.fill("#indicator-filter", "thu nhập")
    visible = [r for r in page.locator("#records tr.rec").all() if r.is_visible()]
    assert 0 < len(visible) < len(damha.records)


def test_payloads_in_text_file_name_and_gold_never_run(page, tmp_path):
    name = "<img src=x onerror=\"window.__pwned = 4\">"
    article = tmp_path / f"{name}.txt"
    text = (f"Tỷ lệ {PAYLOADS[0]} hộ nghèo giảm còn 2,1%. {PAYLOADS[1]} Thu nhập bình quân đạt 80 triệu đồng. "
            f"{PAYLOADS[2]} Huyện phấn đấu 10 xã đạt chuẩn.")
    article.write_text(text, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc_id": name, "start": 0, "end": 5, "span": "Tỷ lệ", "value": 1, "value_max": None,
                                "unit": PAYLOADS[0], "norm_value": 1, "norm_unit": PAYLOADS[2],
                                "indicator": PAYLOADS[1], "status": "target", "kind": "level", "direction": None,
                                "comparator": "=", "baseline": PAYLOADS[0], "period": PAYLOADS[1], "year": None,
                                "locality": PAYLOADS[2]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "site"
    assert main(["show", str(article), "--gold", str(gold), "-o", str(out)]) == 0
    page.goto((out / "index.html").as_uri())
    assert page.locator("#documents tbody td").first.inner_text() == name
    page.locator("#documents a").first.click()
    assert page.evaluate("window.__pwned") is None
    assert page.inner_text("#text") == text
    assert page.locator("img").count() == 0 and page.locator("script").count() == 2
    page.locator("#records tr.gold").first.click()
    page.locator("#records tr.rec").first.click()
    assert page.evaluate("window.__pwned") is None
    assert PAYLOADS[1] in page.inner_text("#records") and page.inner_text("h1") == name
    assert all(url.startswith("file://") for url in page.requests) and not page.errors


def test_one_document_is_one_page(tmp_path, page):
    out = tmp_path / "page.html"
    assert main(["show", str(DEV / "haiha-2024.txt"), "-o", str(out)]) == 0
    page.goto(out.as_uri())
    assert page.locator("#text mark.record").count() == len(collect([DEV / "haiha-2024.txt"])[0].records)
    # Two documents do not fit one page: a usage error that names the fix.
    assert main(["show", str(DEV / "haiha-2024.txt"), str(DEV / "damha-2024.txt"), "-o", str(out)]) == 2


def test_embedded_json_cannot_close_its_script_element():
    data = {"a": "</script><!-- & \u2028 \u2029 >"}
    embedded = script_json(data)
    assert not re.search(r"[<>&\u2028\u2029]", embedded)
    assert json.loads(embedded) == data


def test_the_page_allows_no_remote_resource():
    (report,) = collect([DEV / "haiha-2024.txt"])
    html = document_page(report)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
