// qrcert report filters: grade, profile, capability, cross-border direction and free text over the case table and the
// case details. State lives in the URL fragment (#grade=FAIL&profile=jpqr&q=crc) so a filtered
// view can be linked. No data is embedded here: everything is read from the page's attributes.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var fields = { grade: form.elements.grade, profile: form.elements.profile,
                 capability: form.elements.capability, q: form.elements.q,
                 direction: form.elements.direction };
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.case"));
  var details = Array.prototype.slice.call(document.querySelectorAll("article.detail"));
  var shown = document.getElementById("shown");

  function state() {
    return { grade: fields.grade.value, profile: fields.profile.value,
             capability: fields.capability.value, q: fields.q.value.trim().toLowerCase(),
             direction: fields.direction ? fields.direction.value : "" };
  }

  function matches(el, s) {
    var d = el.dataset;
    return (!s.grade || d.grade === s.grade) &&
           (!s.profile || d.profile === s.profile) &&
           (!s.capability || d.capability === s.capability) &&
           (!s.direction || d.direction === s.direction) &&
           (!s.q || d.text.indexOf(s.q) !== -1);
  }

  function apply() {
    var s = state();
    var n = 0;
    rows.forEach(function (r) { var ok = matches(r, s); r.hidden = !ok; if (ok) { n += 1; } });
    details.forEach(function (a) { a.hidden = !matches(a, s); });
    shown.textContent = n + " of " + rows.length + " cases shown";
    shown.dataset.shown = String(n);
    var parts = [];
    ["grade", "profile", "capability", "direction", "q"].forEach(function (k) {
      if (fields[k] && fields[k].value) { parts.push(k + "=" + encodeURIComponent(fields[k].value)); }
    });
    if (window.history && history.replaceState) {
      history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
    }
  }

  function fromHash() {
    var hash = location.hash.replace(/^#/, "");
    if (!hash) { return; }
    hash.split("&").forEach(function (pair) {
      var i = pair.indexOf("=");
      if (i < 0) { return; }
      var k = pair.slice(0, i), v;
      try { v = decodeURIComponent(pair.slice(i + 1)); } catch (e) { return; }
      if (Object.prototype.hasOwnProperty.call(fields, k) && fields[k]) { fields[k].value = v; }
    });
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  fromHash();
  apply();
  document.documentElement.dataset.filters = "ready";
})();
