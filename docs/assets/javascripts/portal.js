/*
 * Guangming duty portal: the copy-link and print buttons on the Measures page.
 *
 * An external file with no inline handlers, so a Content-Security-Policy without
 * 'unsafe-inline' can be added later. The buttons ship `hidden` and are revealed here:
 * without JavaScript a reader sees no button that does nothing.
 */
(function () {
  "use strict";

  var FEEDBACK_MS = 2000;

  // Absolute link to one article: the page URL without query, plus the article's anchor.
  function articleUrl(anchor) {
    return window.location.origin + window.location.pathname + "#" + anchor;
  }

  // One polite live region, so screen readers hear "已复制" (the button keeps its aria-label).
  function announce(message) {
    var region = document.getElementById("gm-live");
    if (!region) {
      region = document.createElement("div");
      region.id = "gm-live";
      region.className = "gm-visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  function flash(button, message) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = message;
    button.classList.add("gm-copied");
    announce(message);
    window.clearTimeout(button._gmTimer);
    button._gmTimer = window.setTimeout(function () {
      button.textContent = label;
      button.classList.remove("gm-copied");
    }, FEEDBACK_MS);
  }

  // Without the async clipboard (plain http on a non-local host, old browsers), put the link in a
  // selected text field next to the button: execCommand may copy it, and if not the reader can.
  function fallbackCopy(button, text) {
    var field = button.parentNode.querySelector("input.gm-link-field");
    if (!field) {
      field = document.createElement("input");
      field.type = "text";
      field.readOnly = true;
      field.className = "gm-link-field";
      field.setAttribute("aria-label", "本条链接");
      button.parentNode.appendChild(field);
    }
    field.value = text;
    field.focus();
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    flash(button, copied ? "已复制" : "请按 Ctrl+C 复制");
  }

  function copyLink(button) {
    var text = articleUrl(button.getAttribute("data-anchor"));
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { flash(button, "已复制"); },
        function () { fallbackCopy(button, text); }
      );
    } else {
      fallbackCopy(button, text);
    }
  }

  // Delegated, so it keeps working if Material's instant navigation swaps the page content.
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var copy = target && target.closest("button.gm-copy-link");
    if (copy) {
      copyLink(copy);
      return;
    }
    if (target && target.closest("button.gm-print")) {
      window.print();
    }
  });

  function enhance() {
    var buttons = document.querySelectorAll("button.gm-copy-link[hidden], button.gm-print[hidden]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
    }
    // The home page's "打印全文" link lands on /measures/#print: open the print dialog once.
    if (window.location.hash === "#print" && document.querySelector("button.gm-print")) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      window.setTimeout(function () { window.print(); }, 300);
    }
  }

  // Material's document$ emits on the first load and after each instant navigation.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
