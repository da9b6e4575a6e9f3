/* The door page without reloads. The page works without this script (plain forms, Post/Redirect/
   Get); this only fetches the same pages and swaps the changed parts in:
   - a button press posts its form and shows the page the server answers with;
   - a search that is exactly someone's code (a hand scanner types it and presses Enter) checks
     that person in at once, and empties the field for the next scan;
   - the counts are refreshed every 15 seconds, as other tablets check people in too.
   Every result is announced in the live region and focus goes back to the search field. */
(function () {
  "use strict";
  var root = document.querySelector("[data-door]");
  if (!root || !window.fetch || !window.DOMParser) {
    return;
  }
  var search = document.getElementById("door-search");
  var field = document.getElementById("door-q");
  var busy = false;

  function swap(html, url) {
    var page = new DOMParser().parseFromString(html, "text/html");
    ["door-counts", "door-results"].forEach(function (id) {
      var fresh = page.getElementById(id);
      if (fresh) {
        document.getElementById(id).innerHTML = fresh.innerHTML;
      }
    });
    var message = page.querySelector("#door-status .ikpob-door__message");
    announce(message ? message.textContent.trim() : "", message && message.className);
    if (url) {
      window.history.replaceState(null, "", url);
    }
    return page;
  }

  function announce(text, className) {
    var region = document.getElementById("door-status");
    // Emptied first, so the same words twice in a row are announced twice.
    region.innerHTML = "";
    if (text) {
      window.setTimeout(function () {
        var message = document.createElement("p");
        message.className = className || "ikpob-door__message ikpob-door__message--info";
        message.textContent = text;
        region.appendChild(message);
      }, 50);
    }
  }

  function backToSearch(empty) {
    if (empty) {
      field.value = "";
    }
    field.focus();
    field.select();
  }

  function post(form, emptySearch) {
    var data = new FormData(form);
    if (emptySearch) {
      data.set("q", "");
    }
    // The server answers with a redirect to the page (the same search); fetch follows it.
    return fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) {
          swap(html, response.url);
          backToSearch(emptySearch);
        });
      });
  }

  function fail() {
    announce(root.getAttribute("data-failed-message"), "ikpob-door__message ikpob-door__message--error");
    busy = false;
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (busy) {
      event.preventDefault();
      return;
    }
    if (form === search) {
      event.preventDefault();
      busy = true;
      var url = form.getAttribute("action") + "?" + new URLSearchParams(new FormData(form)).toString();
      fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (html) {
            var page = new DOMParser().parseFromString(html, "text/html");
            var exact = page.querySelector("form[data-exact-code]");
            if (exact) {
              // A scanned code: check that person in straight away.
              return post(exact, true);
            }
            swap(html, response.url);
            // Heard, not shown twice: the heading above the results says the same.
            var heading = document.getElementById("door-results-heading");
            announce(heading ? heading.textContent.trim() : "", "visually-hidden");
            backToSearch(false);
          });
        })
        .then(function () { busy = false; }, fail);
      return;
    }
    if (form.classList.contains("ikpob-door__action")) {
      event.preventDefault();
      busy = true;
      post(form, false).then(function () { busy = false; }, fail);
    }
  });

  var attendanceUrl = root.getAttribute("data-attendance-url");
  function refreshCounts() {
    if (document.hidden || busy) {
      return;
    }
    fetch(attendanceUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) {
        if (counts) {
          document.getElementById("door-counts").textContent = counts.text;
        }
      }, function () { /* offline for a moment: the next round tries again */ });
  }
  // Other tablets check people in too; and a tablet that wakes up shows the counts of now.
  window.setInterval(refreshCounts, 15000);
  document.addEventListener("visibilitychange", refreshCounts);
}());
