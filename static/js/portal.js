// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-status-target"));
    if (!target || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.innerText.trim()).then(
        function () { status.textContent = button.getAttribute("data-copied-message"); },
        function () { status.textContent = button.getAttribute("data-failed-message"); }
      );
    });
  });
  // An error summary takes focus, so screen-reader and keyboard users hear the problems first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    // Its links put focus in their field without adding #field to the address: with the
    // fragment there, the next failed submit would bring the browser back to that field
    // instead of to the new summary. Without this script they work as plain anchors.
    summary.querySelectorAll("a[data-error-link]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) {
          return;
        }
        event.preventDefault();
        // A group of radio buttons: its chosen option, or else the first.
        var control = target.matches("input, select, textarea, button")
          ? target
          : target.querySelector("input:checked") || target.querySelector("input, select, textarea");
        var label = target.tagName === "FIELDSET"
          ? target.querySelector("legend")
          : document.querySelector("label[for='" + target.id + "']");
        (label || target).scrollIntoView({block: "start"});
        if (control) {
          control.focus({preventScroll: true});
        }
      });
    });
  }
})();
