// The import page: show the columns of the chosen kind of file, and the society only for a roster.
(function () {
  "use strict";

  function update() {
    var chosen = document.querySelector("[data-kx-import-kind]:checked");
    if (!chosen) { return; }
    document.querySelectorAll("[data-kx-import-columns]").forEach(function (card) {
      card.classList.toggle("d-none", card.dataset.kxImportColumns !== chosen.value);
    });
    var society = document.querySelector("[data-kx-import-society]");
    if (society) { society.classList.toggle("d-none", chosen.value !== "members"); }
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-kx-import-kind]")) { update(); }
  });
  document.addEventListener("DOMContentLoaded", update);
})();
