// Talent lists: show the conditions of a saved search only when that kind is chosen.
(function () {
  "use strict";

  function toggleConditions() {
    var conditions = document.getElementById("kx-search-conditions");
    var chosen = document.querySelector("input[name='kind']:checked");
    if (!conditions || !chosen) { return; }
    conditions.classList.toggle("d-none", chosen.value !== "saved_filter");
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "kind") { toggleConditions(); }
  });
  document.addEventListener("DOMContentLoaded", toggleConditions);
})();
