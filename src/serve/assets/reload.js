// okrsite serve: live reload for one page. One connection per browser, whatever
// the number of tabs: a SharedWorker holds the event stream and passes each
// message to every tab (browsers allow six connections per host, so a stream per
// tab would leave the seventh tab waiting). Without SharedWorker, a short poll.
(function () {
  var script = document.currentScript;
  var base = script.dataset.base;
  var server = script.dataset.server;
  var generation = +script.dataset.generation;

  // This page's file in the site: "teams/x/" is "teams/x/index.html".
  function ownFile() {
    var path;
    try { path = decodeURIComponent(location.pathname); } catch (e) { return null; }
    if (path.indexOf(base) !== 0) return null;
    path = path.slice(base.length);
    return path === '' || path.slice(-1) === '/' ? path + 'index.html' : path;
  }

  // "assets/okrsite.<16 hex>.css" → "assets/okrsite.css": a theme stylesheet's name
  // whatever its content (its fingerprint changes with every edit).
  function plain(file) {
    return file.replace(/\.[0-9a-f]{16}(\.[^./]+)$/, '$1');
  }

  // Loads each changed stylesheet again beside the old one, then drops the old:
  // the page keeps its scroll, its state and never shows unstyled. A fingerprinted
  // stylesheet is loaded under its new name, another with a query that skips the cache.
  function swapStylesheets(changed) {
    var newest = {};
    changed.forEach(function (file) {
      if (!newest[plain(file)] || file !== plain(file)) newest[plain(file)] = file;
    });
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      var file;
      try { file = decodeURIComponent(url.pathname).slice(base.length); } catch (e) { return; }
      var now = newest[plain(file)];
      if (url.origin !== location.origin || !now) return;
      url = new URL(base + now, location.href);
      url.searchParams.set('okrsite-reload', String(generation));
      var next = link.cloneNode();
      next.href = url.href;
      next.onload = next.onerror = function () { link.remove(); };
      link.after(next);
    });
  }

  function apply(message) {
    if (message.server !== server) {
      // A new server (a restart): whatever changed meanwhile, show it.
      location.reload();
      return;
    }
    if (message.generation <= generation) return;
    var missed = message.generation !== generation + 1;
    if (missed || message.pages === null || message.pages.indexOf(ownFile()) >= 0) {
      location.reload();
      return;
    }
    generation = message.generation;
    if (message.css.length) swapStylesheets(message.css);
  }

  if (typeof SharedWorker === 'function') {
    try {
      var worker = new SharedWorker(base + '__okrsite/worker.js', { name: 'okrsite-live-reload' });
      worker.port.onmessage = function (event) { apply(event.data); };
      worker.port.start();
      return;
    } catch (e) { /* fall back to polling */ }
  }
  function poll() {
    fetch(base + '__okrsite/state', { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(apply)
      .catch(function () {})
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
