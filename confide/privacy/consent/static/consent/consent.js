// Consent banner behaviour, cookie clean-up, first-party analytics beacons and third-party
// adapters. The server decides everything in #consent-config; this file only acts on it.
// Nothing here runs a vendor script: adapters send the server-built, guarded event themselves,
// without cookies and without a Referer.
(function () {
  "use strict";

  var node = document.getElementById("consent-config");
  if (!node) return;
  var config = JSON.parse(node.getAttribute("data-config") || "{}");
  var state = config.state || {};

  function matches(name, prefix) {
    return prefix.slice(-1) === "*" ? name.indexOf(prefix.slice(0, -1)) === 0 : name === prefix;
  }

  // Delete every cookie of a category that is not allowed (RIGHTS-7), on this host and its
  // parent domains, where vendors usually set theirs.
  function deleteCookies() {
    var names = document.cookie.split(";").map(function (c) { return c.split("=")[0].trim(); });
    var host = location.hostname.split(".");
    Object.keys(config.cookies || {}).forEach(function (category) {
      if (state[category]) return;
      names.forEach(function (name) {
        if (!name || !config.cookies[category].some(function (p) { return matches(name, p); })) return;
        var expired = name + "=; Max-Age=0; path=/; SameSite=Lax";
        document.cookie = expired;
        for (var i = 0; i < host.length - 1; i++) {
          document.cookie = expired + "; domain=." + host.slice(i).join(".");
        }
      });
    });
  }

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + String(Math.random()).slice(2);
  }

  function cookie(name) {
    var found = document.cookie.split(";").map(function (c) { return c.trim(); })
      .filter(function (c) { return c.indexOf(name + "=") === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  // The analytics visitor id is itself an analytics cookie: it exists only with consent.
  function analyticsVisitor() {
    var id = cookie("confide_an_id");
    if (!id) {
      id = randomId();
      document.cookie = "confide_an_id=" + id + "; Max-Age=" + 395 * 86400 + "; path=/; SameSite=Lax";
    }
    return id;
  }

  function beacon(payload) {
    if (!config.collect || !state.analytics) return;
    var body = JSON.stringify(payload);
    if (navigator.sendBeacon) {
      navigator.sendBeacon(config.collect, new Blob([body], { type: "text/plain" }));
    } else {
      fetch(config.collect, { method: "POST", body: body, keepalive: true, credentials: "same-origin" });
    }
  }

  function firstPartyAnalytics() {
    if (!config.collect || !state.analytics) return;
    var id = randomId();
    var started = Date.now();
    var params = new URLSearchParams(location.search);
    beacon({
      t: "view", id: id, visitor: analyticsVisitor(), path: location.pathname,
      referrer: document.referrer, campaign: params.get("utm_source") || "",
      language: document.documentElement.lang
    });
    var left = false;
    function leave() {
      if (left) return;
      left = true;
      beacon({ t: "leave", id: id, ms: Date.now() - started });
    }
    window.addEventListener("pagehide", leave);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") leave();
    });
    window.addEventListener("error", function (event) {
      var kind = event.error && event.error.name ? event.error.name : "Error";
      beacon({ t: "error", kind: kind, path: location.pathname, source: event.filename || "", line: event.lineno || 0 });
    });
  }

  function send(url) {
    fetch(url, { mode: "no-cors", credentials: "omit", referrerPolicy: "no-referrer", keepalive: true });
  }

  var adapters = {
    mixpanel: function (item, clientId) {
      var data = { event: item.event.event, properties: {
        token: item.account, distinct_id: clientId, page: item.event.page, language: item.event.language
      } };
      send(item.endpoint + "?ip=0&data=" + encodeURIComponent(btoa(JSON.stringify(data))));
    },
    google_analytics: function (item, clientId) {
      var q = new URLSearchParams({ v: "2", tid: item.account, cid: clientId, en: item.event.event,
        dl: location.origin + item.event.page, ul: item.event.language, npa: "1" });
      send(item.endpoint + "?" + q.toString());
    },
    meta_pixel: function (item) {
      var q = new URLSearchParams({ id: item.account, ev: "PageView",
        dl: location.origin + item.event.page, noscript: "1" });
      send(item.endpoint + "?" + q.toString());
    }
  };

  function thirdParty() {
    (config.integrations || []).forEach(function (item) {
      if (!state[item.category] || !adapters[item.key]) return;
      var clientId = item.category === "analytics" ? analyticsVisitor() : randomId();
      adapters[item.key](item, clientId);
    });
  }

  deleteCookies();
  firstPartyAnalytics();
  thirdParty();
})();
