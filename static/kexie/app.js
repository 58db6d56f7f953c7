// Kexie front-end behaviour. Loaded with a CSP nonce; no inline scripts anywhere.
(function () {
  "use strict";

  // Warn before the idle timeout logs the user out, so nothing typed is silently lost.
  function idleWarning() {
    var seconds = parseInt(document.body.dataset.idleSeconds || "0", 10);
    if (!seconds) { return; }
    var warnAt = Math.max(seconds - 120, 30) * 1000;
    var timer;
    function reset() {
      clearTimeout(timer);
      var shown = document.getElementById("kx-idle-warning");
      if (shown) { shown.classList.add("d-none"); }
      timer = setTimeout(function () {
        var note = document.getElementById("kx-idle-warning");
        if (note) { note.classList.remove("d-none"); }
      }, warnAt);
    }
    ["click", "keydown", "htmx:afterRequest"].forEach(function (name) {
      document.addEventListener(name, reset);
    });
    reset();
  }

  // Charts: any element with data-chart holds an ECharts option as JSON.
  function renderCharts(root) {
    if (!window.echarts) { return; }
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.rendered) { return; }
      var option = JSON.parse(el.dataset.chart);
      var chart = window.echarts.init(el);
      chart.setOption(option);
      el.dataset.rendered = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // Confirm dangerous actions: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  // A picker's search box (core.widgets.SearchSelect) only fills its select: leaving it must
  // not count as a change of the form around it (a filter form that submits on change).
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-kx-find]")) { event.stopPropagation(); }
  }, true);

  document.addEventListener("DOMContentLoaded", function () { idleWarning(); renderCharts(); });
  document.addEventListener("htmx:afterSettle", function (event) { renderCharts(event.target); });
})();
