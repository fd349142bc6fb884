// okrsite serve: the one live-reload stream of a browser, shared by its tabs.
// EventSource reconnects by itself when the server restarts; the first message on
// every connection is the current state, which tells tabs about the restart.
var ports = [];
var last = null;
var source = null;

function connect() {
  var base = self.location.pathname.replace(/__okrsite\/worker\.js$/, '');
  source = new EventSource(base + '__okrsite/events');
  source.onmessage = function (event) {
    last = JSON.parse(event.data);
    ports.forEach(function (port) { port.postMessage(last); });
  };
  source.onerror = function () {
    // A stream refused outright is not retried by the browser: retry here.
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 1000);
  };
}

self.onconnect = function (event) {
  var port = event.ports[0];
  ports.push(port);
  if (last) port.postMessage(last);
  port.start();
};

connect();
