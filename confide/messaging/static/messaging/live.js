/* Confide live socket: a tiny, dependency-free websocket wrapper with JSON frames and
   reconnection with backoff. Shared by the chat (messaging) and the video room (sessions). */
(function () {
  "use strict";

  function connect(path, handlers) {
    var socket = null;
    var closedByUs = false;
    var attempts = 0;
    var timer = null;
    var api = {
      send: function (frame) {
        if (socket && socket.readyState === WebSocket.OPEN) {
          socket.send(JSON.stringify(frame));
          return true;
        }
        return false;
      },
      close: function () {
        closedByUs = true;
        if (timer) { clearTimeout(timer); }
        if (socket) { socket.close(1000); }
      },
      isOpen: function () { return !!socket && socket.readyState === WebSocket.OPEN; }
    };

    function open() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      try {
        socket = new WebSocket(scheme + window.location.host + path);
      } catch (err) {
        retry(0);
        return;
      }
      socket.addEventListener("open", function () {
        attempts = 0;
        if (handlers.open) { handlers.open(); }
      });
      socket.addEventListener("message", function (event) {
        var data;
        try { data = JSON.parse(event.data); } catch (err) { return; }
        if (handlers.message) { handlers.message(data); }
      });
      socket.addEventListener("close", function (event) {
        if (handlers.close) { handlers.close(event.code); }
        // 4401/4403: not signed in or not allowed; retrying would not help.
        if (!closedByUs && event.code !== 4401 && event.code !== 4403) { retry(event.code); }
      });
    }

    function retry() {
      attempts += 1;
      var delay = Math.min(15000, 500 * Math.pow(2, Math.min(attempts, 5)));
      timer = setTimeout(open, delay);
    }

    open();
    return api;
  }

  window.ConfideLive = { connect: connect };
})();
