// Plan editing: warn before leaving with unsaved changes, and keep keyboard focus
// sensible when htmx swaps a part of the page (WCAG 2.4.3).
(function () {
  var dirty = new Set();

  function formOf(event) {
    return event.target.closest ? event.target.closest("form[data-unsaved-warning]") : null;
  }

  document.addEventListener("input", function (event) {
    var form = formOf(event);
    if (form) {
      dirty.add(form);
    }
  });

  document.addEventListener("submit", function (event) {
    dirty.delete(event.target);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form");
    if (form) {
      dirty.delete(form);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    dirty.forEach(function (form) {
      if (!document.body.contains(form)) {
        dirty.delete(form);
      }
    });
    if (dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // After a swap: the error summary of a refused form, the first field of a new
  // form, or the element the server named (the moved item's button, the saved item).
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt;
    var target = root.querySelector && (root.querySelector("[data-focus-on-load]") ||
      root.querySelector("form[data-unsaved-warning] input:not([type=hidden]), form[data-unsaved-warning] textarea, form[data-unsaved-warning] select"));
    var named = event.detail.xhr && event.detail.xhr.getResponseHeader("X-Plans-Focus");
    if (named) {
      target = document.getElementById(named) || target;
    }
    if (target) {
      target.focus();
    }
  });

  document.addEventListener("plansError", function () {
    window.location.reload();
  });
})();
