/* Borderpost pages: charts from data-chart attributes, booth keyboard helpers. No inline script. */
(function () {
  "use strict";

  function drawCharts(root) {
    if (typeof window.Chart === "undefined") return;
    var rtl = document.documentElement.dir === "rtl";
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn === "true") return;
      var spec = JSON.parse(canvas.dataset.chart);
      var horizontal = !!spec.horizontal;
      new window.Chart(canvas, {
        type: spec.type || "bar",
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (d) {
            return { label: d.label, data: d.data, backgroundColor: d.color, borderColor: d.color };
          })
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          indexAxis: horizontal ? "y" : "x",
          locale: document.documentElement.lang,
          plugins: {
            legend: { rtl: rtl, display: spec.datasets.length > 1 },
            tooltip: { rtl: rtl }
          },
          scales: {
            x: { stacked: !!spec.stacked, reverse: rtl && !horizontal, beginAtZero: true },
            y: { stacked: !!spec.stacked, position: rtl && !horizontal ? "right" : "left", beginAtZero: true, ticks: { precision: 0 } }
          }
        }
      });
      canvas.dataset.drawn = "true";
    });
  }

  // The booth: a scanner "types" the MRZ lines then Enter; Ctrl+Enter (or Enter on the last
  // line of a complete MRZ) submits, and the field is cleared and focused for the next document.
  function boothKeys(root) {
    root.querySelectorAll("textarea[data-mrz]").forEach(function (area) {
      if (area.dataset.bound === "true") return;
      area.dataset.bound = "true";
      area.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") return;
        var lines = area.value.split("\n").filter(function (l) { return l.trim() !== ""; });
        var complete = (lines.length === 2 && lines[0].trim().length === 44) ||
          (lines.length === 2 && lines[0].trim().length === 36) || lines.length === 3;
        if (event.ctrlKey || event.metaKey || complete) {
          event.preventDefault();
          if (area.form.requestSubmit) area.form.requestSubmit(); else area.form.submit();
        }
      });
    });
    var focus = root.querySelector("[data-autofocus]");
    if (focus) focus.focus();
  }

  // On a phone a table is shown as cards (app.css): each cell names its column, copied from
  // the table's head so that templates need not repeat it.
  function labelCells(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) return;
      var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, n) {
          if (names[n] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[n]);
        });
      });
    });
  }

  function init(root) {
    drawCharts(root);
    boothKeys(root);
    labelCells(root.closest ? (root.closest("table") || root) : root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
})();
