// Saves a worksheet draft a moment after the client stops typing. Progressive enhancement only:
// the "Save draft" button works without it, and a failed autosave changes nothing on the page
// but the status line (the server keeps the last good draft).
(function () {
  "use strict";
  const form = document.getElementById("worksheet-form");
  const status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData) return;
  const url = form.dataset.autosaveUrl;
  let timer = null;
  let busy = false;
  function save() {
    if (busy) {
      schedule();
      return;
    }
    busy = true;
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && data.message) status.textContent = data.message;
      })
      .catch(function () {})
      .finally(function () {
        busy = false;
      });
  }
  function schedule() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, 2000);
  }
  form.addEventListener("input", schedule);
})();
