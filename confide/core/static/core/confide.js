// Small progressive enhancements shared by every page. No inline scripts anywhere (CSP).
(function () {
  "use strict";
  // Elements with data-confirm ask before submitting (destructive actions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
