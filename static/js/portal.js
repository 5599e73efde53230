// Move focus to the error summary after a failed submit, so keyboard and screen
// reader users land on the list of what to correct (WCAG 3.3.1).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
});

// A link in the error summary focuses its field and scrolls the whole field into
// view: following the plain #id link puts the input at the top edge, with its label
// and error message hidden above it (WCAG 3.3.2; as the GOV.UK error summary does).
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
  var field = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
  if (!field) {
    return;
  }
  event.preventDefault();
  (field.closest(".field") || field).scrollIntoView();
  field.focus({ preventScroll: true });
});
