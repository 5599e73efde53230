// Move focus to the error summary after a failed submit, so keyboard and screen
// reader users land on the list of what to correct (WCAG 3.3.1).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
});
