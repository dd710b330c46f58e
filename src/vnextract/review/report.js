/* vnextract review report: selection, filters, sorting, search.
   Reads its data from the JSON element; writes text only with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var page = document.body.getAttribute("data-page");

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function indexPage() {
    var table = document.getElementById("documents");
    var search = document.getElementById("search");
    var body = table.tBodies[0];
    search.addEventListener("input", function () {
      var wanted = search.value.trim().toLowerCase();
      all("tr.doc", body).forEach(function (row) {
        row.hidden = wanted !== "" && row.getAttribute("data-search").indexOf(wanted) < 0;
      });
    });
    all("th", table).forEach(function (th, column) {
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        all("th", table).forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.getAttribute("data-type") === "number";
        var rows = all("tr.doc", body);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute("data-value"), y = b.cells[column].getAttribute("data-value");
          var order = numeric ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) { if (event.key === "Enter") { sort(); } });
    });
  }

  function documentPage() {
    var text = document.getElementById("text");
    if (!text) { return; }
    var pieces = all("span.t", text);
    var panel = document.getElementById("evidence");
    var rows = all("#records tr.rec");
    var goldRows = all("#records tr.gold");
    var marks = all("mark.record", text);

    function clear() {
      all(".selected").forEach(function (el) { el.classList.remove("selected"); });
      pieces.forEach(function (p) {
        data.evidence_keys.forEach(function (key) { p.classList.remove("ev", "ev-" + key); });
      });
      panel.textContent = "";
    }

    function markEvidence(record) {
      var list = document.createElement("dl");
      data.evidence_keys.forEach(function (key) {
        var entry = (record.evidence || {})[key];
        var dt = document.createElement("dt"), dd = document.createElement("dd");
        dt.textContent = key;
        dt.className = "ev ev-" + key;
        if (entry && entry.start !== null && entry.start !== undefined) {
          dd.textContent = "“" + entry.text + "”" + (entry.note ? " (" + entry.note + ")" : "");
          pieces.forEach(function (p) {
            var s = Number(p.getAttribute("data-s")), e = Number(p.getAttribute("data-e"));
            if (s >= entry.start && e <= entry.end) { p.classList.add("ev", "ev-" + key); }
          });
        } else {
          dd.textContent = entry ? "— " + entry.note : "—";
        }
        list.appendChild(dt);
        list.appendChild(dd);
      });
      var title = document.createElement("p");
      title.textContent = record.span + " → " + record.status + ", " + record.indicator;
      panel.appendChild(title);
      panel.appendChild(list);
    }

    function select(i, from) {
      clear();
      var mark = text.querySelector('mark.record[data-i="' + i + '"]');
      var row = document.querySelector('#records tr.rec[data-i="' + i + '"]');
      if (mark) { mark.classList.add("selected"); }
      if (row) { row.classList.add("selected"); }
      markEvidence(data.records[i]);
      var target = from === "row" ? mark : row;
      if (target) { target.scrollIntoView({block: "center"}); }
      history.replaceState(null, "", "#r" + i);
    }

    function selectGold(j, from) {
      clear();
      var found = all('span.t[data-gold="' + j + '"]', text);
      found.forEach(function (p) { p.classList.add("selected"); });
      var row = document.querySelector('#records tr.gold[data-gold="' + j + '"]');
      if (row) { row.classList.add("selected"); }
      var gold = data.missed[j];
      var note = document.createElement("p");
      note.textContent = "missed gold: " + gold.span + " → " + gold.status + ", " + gold.indicator;
      panel.appendChild(note);
      var target = from === "row" ? found[0] : row;
      if (target) { target.scrollIntoView({block: "center"}); }
    }

    function activate(el, handler) {
      el.addEventListener("click", handler);
      el.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); handler(event); }
      });
    }

    rows.forEach(function (row) {
      activate(row, function () { select(Number(row.getAttribute("data-i")), "row"); });
    });
    goldRows.forEach(function (row) {
      activate(row, function () { selectGold(Number(row.getAttribute("data-gold")), "row"); });
    });
    marks.forEach(function (mark) {
      activate(mark, function (event) {
        event.stopPropagation();
        select(Number(mark.getAttribute("data-i")), "text");
      });
    });
    all("span.t.missed", text).forEach(function (p) {
      p.addEventListener("click", function () { selectGold(Number(p.getAttribute("data-gold")), "text"); });
    });

    var status = document.getElementById("status-filter");
    var indicator = document.getElementById("indicator-filter");
    function filter() {
      var s = status.value, words = indicator.value.trim().toLowerCase();
      rows.concat(goldRows).forEach(function (row) {
        var shown = (s === "" || row.getAttribute("data-status") === s) &&
          (words === "" || row.getAttribute("data-indicator").indexOf(words) >= 0);
        row.hidden = !shown;
        if (row.classList.contains("rec")) {
          var mark = text.querySelector('mark.record[data-i="' + row.getAttribute("data-i") + '"]');
          if (mark) { mark.classList.toggle("filtered", !shown); }
        }
      });
    }
    status.addEventListener("change", filter);
    indicator.addEventListener("input", filter);

    var wanted = /^#r(\d+)$/.exec(location.hash);
    if (wanted && data.records[Number(wanted[1])]) { select(Number(wanted[1]), "row"); }
  }

  if (page === "index") { indexPage(); } else { documentPage(); }
})();
