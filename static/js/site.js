// Progressive enhancement for htmx swaps: focus follows new content, failures are said aloud.
(function () {
  "use strict";

  function showNotice(message) {
    var notice = document.getElementById("notice");
    if (!notice) return;
    notice.textContent = message;
    notice.hidden = false;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.detail.elt;
    if (swapped && !swapped.isConnected && swapped.id) {
      swapped = document.getElementById(swapped.id);
    }
    if (!swapped || !swapped.isConnected) return;
    var target = swapped.matches("[data-focus-on-swap]")
      ? swapped
      : swapped.querySelector("[data-focus-on-swap]");
    if (target) {
      // A swapped-in page part names the page it makes, for the tab and its history entry.
      if (target.dataset.pageTitle) document.title = target.dataset.pageTitle;
      target.focus();
      target.scrollIntoView({ block: "start" });
    }
  });

  document.addEventListener("htmx:beforeRequest", function () {
    var notice = document.getElementById("notice");
    if (notice) notice.hidden = true;
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403) {
      showNotice("Your session changed (for example, you signed in on another tab). " +
        "Reload the page and answer again; nothing was saved.");
    } else if (status === 404) {
      showNotice("This page no longer exists. Reload the page.");
    } else if (status >= 500) {
      showNotice("The site hit an error and nothing was saved. Reload the page and try again.");
    } else {
      showNotice("That request was not accepted (error " + status + "). Reload the page.");
    }
  });

  document.addEventListener("htmx:sendError", function () {
    showNotice("Could not reach the site. Check your connection, then try again.");
  });
})();
