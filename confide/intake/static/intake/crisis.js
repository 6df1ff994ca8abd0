// Shows the crisis resources at once when an answer matches a risk rule (PHQ-9 item 9,
// self-reported danger). The server shows them again after submission; this never blocks.
(function () {
  "use strict";
  const panel = document.getElementById("crisis-panel");
  if (!panel) return;
  function fires(group) {
    const checked = group.querySelector("input:checked");
    if (!checked) return false;
    const min = group.dataset.riskMin;
    const equals = group.dataset.riskEquals;
    if (min !== "" && min !== undefined) return Number(checked.value) >= Number(min);
    return equals !== "" && checked.value === equals;
  }
  function update() {
    const any = Array.from(document.querySelectorAll("[data-risk-item]")).some(fires);
    if (any) panel.hidden = false;
  }
  document.querySelectorAll("[data-risk-item] input").forEach(function (input) {
    input.addEventListener("change", update);
  });
})();
