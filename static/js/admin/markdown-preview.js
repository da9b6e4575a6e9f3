// The Markdown preview of the admin's text fields (MarkdownTextarea): the button swaps the
// text field for the HTML the public page shows, rendered on the server by the same
// Markdown and sanitising. A static file, as the Content-Security-Policy allows no inline
// script; the CSRF token comes from the form itself.
"use strict";

(function () {
  function setUp(box) {
    const button = box.querySelector(".ikpob-markdown-toggle");
    const textarea = box.querySelector("textarea");
    const preview = box.querySelector(".ikpob-markdown-preview");
    const status = box.querySelector(".ikpob-markdown-status");
    if (!button || !textarea || !preview) {
      return;
    }
    button.hidden = false;

    function showText() {
      preview.hidden = true;
      textarea.hidden = false;
      button.textContent = button.dataset.showLabel;
      textarea.focus();
    }

    async function showPreview() {
      const form = box.closest("form");
      const token = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
      const body = new FormData();
      body.append("text", textarea.value);
      body.append("top_level", box.dataset.topLevel);
      status.textContent = box.dataset.loadingMessage;
      let html;
      try {
        const response = await fetch(box.dataset.previewUrl, {
          method: "POST",
          body: body,
          headers: { "X-CSRFToken": token ? token.value : "" },
          credentials: "same-origin",
        });
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        html = (await response.json()).html;
      } catch (error) {
        status.textContent = box.dataset.errorMessage;
        return;
      }
      status.textContent = "";
      // Sanitised on the server by the site's own Markdown filter (nh3).
      preview.innerHTML = html;
      preview.style.minHeight = textarea.offsetHeight + "px";
      textarea.hidden = true;
      preview.hidden = false;
      button.textContent = button.dataset.editLabel;
      preview.focus();
    }

    button.addEventListener("click", function () {
      if (preview.hidden) {
        showPreview();
      } else {
        showText();
      }
    });
  }

  function start() {
    document.querySelectorAll(".ikpob-markdown").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
