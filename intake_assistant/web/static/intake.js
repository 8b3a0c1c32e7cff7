// Progressive help only: every page works without this script.
// After a refused answer, the error summary gets the focus, so a screen reader reads it.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
