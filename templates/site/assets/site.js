/* Small enhancements for the coalition website. Everything works without them. */
(function () {
  "use strict";

  // Opened from disk (file://), a link to a folder shows a file listing, not
  // the page: point folder links at their index.html instead.
  function linkToIndexFiles() {
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(href)) continue;
      var cut = href.search(/[?#]/);
      var path = cut < 0 ? href : href.slice(0, cut);
      var rest = cut < 0 ? "" : href.slice(cut);
      if (path === "" || path === "." || path === "..") path += "/";
      if (path.charAt(path.length - 1) === "/") {
        links[i].setAttribute("href", path + "index.html" + rest);
      }
    }
  }

  // The members directory: filter by organization type and area in place.
  function memberFilters() {
    var form = document.querySelector("[data-filter-form]");
    if (!form) return;
    var cards = Array.prototype.slice.call(document.querySelectorAll("[data-member]"));
    var type = form.elements.type;
    var area = form.elements.area;
    var status = document.getElementById("filter-status");
    var empty = document.getElementById("filter-empty");

    function choose(select, value) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === value && !select.options[i].disabled) {
          select.value = value;
          return;
        }
      }
    }

    function apply(remember) {
      var t = type.value;
      var a = area.value;
      var shown = 0;
      cards.forEach(function (card) {
        var areas = " " + card.getAttribute("data-areas") + " ";
        var match = (!t || card.getAttribute("data-type") === t) && (!a || areas.indexOf(" " + a + " ") >= 0);
        card.hidden = !match;
        if (match) shown++;
      });
      // The words come from the page, in its language: data-all, and data-some with {shown}.
      status.textContent =
        t || a ? status.getAttribute("data-some").replace("{shown}", shown) : status.getAttribute("data-all");
      empty.hidden = shown !== 0;
      if (remember && window.history && history.replaceState) {
        var params = new URLSearchParams();
        if (t) params.set("type", t);
        if (a) params.set("area", a);
        var query = params.toString();
        try {
          history.replaceState(null, "", query ? "?" + query : location.pathname);
        } catch (e) {
          /* some browsers refuse this for file:// pages */
        }
      }
    }

    var params = new URLSearchParams(location.search);
    choose(type, params.get("type") || "");
    choose(area, params.get("area") || "");
    form.hidden = false;
    form.addEventListener("change", function () {
      apply(true);
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () {
        apply(true);
      }, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    apply(false);
  }

  // The meetings page: the build does not know today's date (same content, same page),
  // so the reader's browser marks each meeting whose end has passed, in the page's words.
  function pastMeetings() {
    var list = document.querySelector("[data-past-label]");
    if (!list) return;
    var now = Date.now();
    var meetings = list.querySelectorAll("[data-ends]");
    for (var i = 0; i < meetings.length; i++) {
      var ends = Date.parse(meetings[i].getAttribute("data-ends"));
      if (isNaN(ends) || ends >= now) continue;
      meetings[i].classList.add("is-past");
      var note = document.createElement("p");
      note.className = "past-note";
      note.textContent = list.getAttribute("data-past-label");
      var article = meetings[i].querySelector("article") || meetings[i];
      article.insertBefore(note, article.firstChild);
    }
  }

  if (location.protocol === "file:") linkToIndexFiles();
  memberFilters();
  pastMeetings();
})();
