// The people pages. Loaded with a CSP nonce; no inline scripts.
(function () {
  "use strict";

  var DELAY = 300; // ms of quiet typing before the list searches

  // The search box searches as the user types: after a short pause, and never in the middle
  // of an IME composition (拼音 being typed before the characters are chosen).
  function searchForm(input) { return input.form; }

  function scheduleSearch(input) {
    clearTimeout(input.kxTimer);
    input.kxTimer = setTimeout(function () {
      var value = input.value.trim();
      if (value === input.dataset.kxLast) { return; }
      input.dataset.kxLast = value;
      if (window.htmx) { window.htmx.trigger(searchForm(input), "kx-search"); }
    }, DELAY);
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-kx-search]")) { return; }
    if (event.isComposing || input.kxComposing) { return; }
    scheduleSearch(input);
  });

  document.addEventListener("compositionstart", function (event) {
    if (event.target.matches && event.target.matches("[data-kx-search]")) { event.target.kxComposing = true; }
  });

  document.addEventListener("compositionend", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-kx-search]")) { return; }
    input.kxComposing = false;
    scheduleSearch(input);
  });

  // Leaving the search box fires "change"; typing has searched already, so that event stops here.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-kx-search]").forEach(function (input) {
      input.dataset.kxLast = input.value.trim();
      input.addEventListener("change", function (event) {
        if (input.value.trim() === input.dataset.kxLast) { event.stopPropagation(); }
        else { input.dataset.kxLast = input.value.trim(); }
      });
    });
  });

  // A reveal without a reason answers 400 with the form and its message: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.closest && target.closest("[data-kx-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a reveal, put the focus on the result so screen readers announce it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelector) { return; }
    var badge = target.querySelector("[data-testid=revealed-badge]");
    if (badge) { badge.setAttribute("tabindex", "-1"); badge.focus(); }
  });
})();
