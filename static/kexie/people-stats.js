// Talent statistics charts. Each [data-kx-chart] element names the <script type="application/json">
// (Django's json_script) holding its ECharts option. Loaded with a CSP nonce; no inline scripts.
(function () {
  "use strict";

  function render() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-kx-chart]").forEach(function (el) {
      if (el.dataset.rendered) { return; }
      var source = document.getElementById(el.dataset.kxChart);
      if (!source) { return; }
      var chart = window.echarts.init(el);
      chart.setOption(JSON.parse(source.textContent));
      el.dataset.rendered = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", render);
})();
