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

  // The menu on small screens: a disclosure button. The CSS folds the menu away only when
  // scripting is enabled, so without this script it stays visible.
  var header = document.querySelector(".ikpob-header");
  var menuButton = document.querySelector("[data-menu-button]");
  if (header && menuButton) {
    var setMenu = function (open) {
      menuButton.setAttribute("aria-expanded", String(open));
      header.classList.toggle("ikpob-header--open", open);
    };
    menuButton.addEventListener("click", function () {
      setMenu(menuButton.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menuButton.getAttribute("aria-expanded") === "true") {
        setMenu(false);
        menuButton.focus();
      }
    });
  }

  // List filters apply as soon as a checkbox or the sort order changes; the "Filters
  // toepassen" button still works without this script. After the new page loads, focus goes
  // back to the control that changed and the status region reads the new number of results.
  var filterForm = document.querySelector("[data-filter-form]");
  if (filterForm) {
    var FOCUS_KEY = "ikpob-filter-changed";
    var disclosure = filterForm.closest("[data-filter-disclosure]");
    var wide = window.matchMedia("(min-width: 56rem)");
    // Where the filters sit in the side column they are always open (the CSS does the same
    // with ::details-content where the browser knows it).
    var openOnWide = function () {
      if (disclosure && wide.matches) {
        disclosure.open = true;
      }
    };
    openOnWide();
    if (wide.addEventListener) {
      wide.addEventListener("change", openOnWide);
    }
    filterForm.addEventListener("change", function (event) {
      var control = event.target;
      if (control.type !== "checkbox" && control.tagName !== "SELECT") {
        return;  // words apply with Enter or the button, not on every change of focus
      }
      try {
        sessionStorage.setItem(FOCUS_KEY, JSON.stringify({
          path: window.location.pathname,
          name: control.name,
          value: control.type === "checkbox" ? control.value : null
        }));
      } catch (error) {
        // Without storage the filter still applies; focus then starts at the top.
      }
      if (filterForm.requestSubmit) {
        filterForm.requestSubmit();
      } else {
        filterForm.submit();
      }
    });
    // The address the form sends is the list's canonical query (kernel.lists.canonical_query):
    // no empty fields, each name's values sorted, no field that names its default (the sort
    // select's data-default-value, `sortering=nieuwste`). Only such an address is stored in
    // the page cache; without this script the form sends `q=` too and gets the same page,
    // unstored.
    var defaults = {};
    filterForm.querySelectorAll("[data-default-value]").forEach(function (field) {
      defaults[field.name] = field.getAttribute("data-default-value");
    });
    filterForm.addEventListener("formdata", function (event) {
      var data = event.formData;
      var names = [];
      data.forEach(function (_value, name) {
        if (names.indexOf(name) === -1) {
          names.push(name);
        }
      });
      names.forEach(function (name) {
        var values = data.getAll(name).filter(function (value) {
          return typeof value === "string" && value.trim() !== "";
        });
        values = values.filter(function (value, index) {
          return values.indexOf(value) === index;
        }).sort();
        if (values.length === 1 && values[0] === defaults[name]) {
          values = [];
        }
        data.delete(name);
        values.forEach(function (value) {
          data.append(name, value);
        });
      });
    });
    var changed = null;
    try {
      changed = JSON.parse(sessionStorage.getItem(FOCUS_KEY));
      sessionStorage.removeItem(FOCUS_KEY);
    } catch (error) {
      changed = null;
    }
    if (changed && changed.path === window.location.pathname) {
      if (disclosure) {
        disclosure.open = true;
      }
      var target = null;
      Array.prototype.forEach.call(filterForm.elements, function (element) {
        if (!target && element.name === changed.name &&
            (changed.value === null || element.value === changed.value)) {
          target = element;
        }
      });
      if (target) {
        var more = target.closest("details");
        if (more && more !== disclosure) {
          more.open = true;
        }
        target.focus();
      }
      var status = document.querySelector("[data-filter-status]");
      var count = document.getElementById("results-heading");
      if (status && count) {
        // A moment after load, so screen readers announce the change of a live region.
        window.setTimeout(function () {
          status.textContent = count.textContent.replace(/\s+/g, " ").trim();
        }, 400);
      }
    }
  }
})();
