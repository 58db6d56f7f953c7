// The organization network pages. Loaded with a CSP nonce; no inline scripts.
(function () {
  "use strict";

  // Tree: a toggle loads a node's children once (hx-get on the "kx-load" event), then
  // clicking it again only hides or shows them.
  function toggleNode(button) {
    var item = button.closest("li");
    var list = item && item.querySelector(":scope > ul.kx-children");
    if (!list) { return; }
    var open = !item.classList.contains("kx-open");
    item.classList.toggle("kx-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    list.hidden = !open;
    if (open && !list.dataset.loaded && window.htmx) {
      list.dataset.loaded = "1";
      window.htmx.trigger(button, "kx-load");
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".kx-tree .kx-toggle");
    if (button) { event.preventDefault(); toggleNode(button); }
  });

  // The contact reveal answers 400 with a message when no reason was given: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.classList.contains("kx-contact")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Filter forms leave empty fields out of the request, so the pushed address stays short.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    var data = event.detail.formData;
    if (!elt.hasAttribute || !elt.hasAttribute("data-kx-drop-empty") || !data) { return; }
    var empty = [];
    data.forEach(function (value, key) {
      if (value === "" && data.getAll(key).every(function (v) { return v === ""; })) { empty.push(key); }
    });
    empty.forEach(function (key) { data.delete(key); });
  });

  // Forms that apply themselves when a choice changes (the statistics root picker).
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-kx-autosubmit]");
    if (form) { form.requestSubmit(); }
  });

  // An export started from a dialog closes the dialog (the download goes on by itself).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("kx-export-form")) { return; }
    var modal = form.closest(".modal");
    if (modal && window.bootstrap) {
      window.setTimeout(function () { window.bootstrap.Modal.getOrCreateInstance(modal).hide(); }, 0);
    }
  });
})();
