// Forms that change the organization network. Loaded with a CSP nonce; no inline scripts.
(function () {
  "use strict";

  // The "party building in the charter" box only concerns societies: show it for those kinds.
  function toggleCharter() {
    document.querySelectorAll("[data-kx-charter-for]").forEach(function (box) {
      var kinds = (box.dataset.kxCharterFor || "").split(" ").filter(Boolean);
      if (!kinds.length) { return; } // editing: the kind is fixed and already a society
      var kind = document.querySelector("select[name=kind]");
      box.classList.toggle("d-none", !kind || kinds.indexOf(kind.value) === -1);
    });
  }

  // Party coverage: narrow the long list of societies as the user types.
  function filterChoices(input) {
    var needle = input.value.trim().toLowerCase();
    var list = document.getElementById(input.dataset.kxFilter);
    if (!list) { return; }
    list.querySelectorAll("[data-kx-choice]").forEach(function (item) {
      var text = item.dataset.kxChoice.toLowerCase();
      item.classList.toggle("d-none", needle !== "" && text.indexOf(needle) === -1);
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[name=kind]")) { toggleCharter(); }
  });
  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.kxFilter) { filterChoices(event.target); }
  });
  document.addEventListener("DOMContentLoaded", toggleCharter);
  document.addEventListener("htmx:afterSettle", toggleCharter);
})();
