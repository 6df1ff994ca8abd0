/* Conversation page: live delivery over the websocket, typing indicator, read state and
   deletion without reload. Falls back to polling the server (and to plain form posts when
   JavaScript is off) so the chat works where websockets are blocked. */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  if (!root || !window.ConfideLive) { return; }
  var list = document.getElementById("message-list");
  var form = document.getElementById("send-form");
  var textarea = form.querySelector("textarea");
  var fileInput = form.querySelector("input[type=file]");
  var errorBox = document.getElementById("chat-error");
  var typingBox = document.getElementById("typing");
  var statusBox = document.getElementById("chat-status");
  var template = document.getElementById("message-template");
  var me = Number(root.dataset.userId);
  var pollTimer = null;
  var typingTimer = null;
  var lastTyping = 0;

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setState(state) {
    root.dataset.state = state;
    statusBox.textContent = state === "live" ? statusBox.dataset.live : statusBox.dataset.offline;
  }

  function render(event) {
    if (document.getElementById("m-" + event.id)) { return; }
    var node = template.content.firstElementChild.cloneNode(true);
    node.id = "m-" + event.id;
    node.dataset.id = event.id;
    node.classList.add(event.sender === me ? "mine" : "theirs");
    node.querySelector(".chat-sender").textContent = event.sender_name;
    var time = node.querySelector("time");
    time.setAttribute("datetime", event.created_at);
    // Worded on the server for this viewer (their zone, named, and language): one formatter.
    time.textContent = event.created_at_text;
    node.querySelector(".chat-body").textContent = event.body;
    if (event.attachment) { node.querySelector(".chat-attachment").hidden = false; }
    var del = node.querySelector("form.chat-delete");
    if (del) { del.action = root.dataset.deleteUrl.replace("00000000-0000-0000-0000-000000000000", event.id); }
    list.appendChild(node);
  }

  function removeIds(ids) {
    ids.forEach(function (id) {
      var node = document.getElementById("m-" + id);
      if (node) { node.remove(); }
    });
  }

  function onEvent(event) {
    if (event.type === "message.new") {
      render(event);
      typingBox.textContent = "";
      if (event.sender !== me && document.visibilityState === "visible") { live.send({ type: "read" }); }
    } else if (event.type === "message.deleted") {
      removeIds(event.ids);
    } else if (event.type === "message.cleared") {
      list.replaceChildren();
      var older = document.getElementById("older");
      if (older) { older.replaceChildren(); }
      document.querySelectorAll(".chat-earlier").forEach(function (n) { n.remove(); });
    } else if (event.type === "message.read" && event.by !== me) {
      list.querySelectorAll(".chat-message.mine .chat-read").forEach(function (n) {
        n.textContent = root.dataset.readLabel;
      });
    } else if (event.type === "typing" && event.by !== me) {
      typingBox.textContent = typingBox.dataset.text;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { typingBox.textContent = ""; }, 5000);
    } else if (event.type === "sent") {
      textarea.value = "";
      errorBox.textContent = "";
    } else if (event.type === "error") {
      errorBox.textContent = event.message;
    }
  }

  function poll() {
    fetch(root.dataset.latestUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var doc = new DOMParser().parseFromString("<ol>" + html + "</ol>", "text/html");
        list.replaceChildren.apply(list, Array.prototype.slice.call(doc.body.firstChild.children));
      })
      .catch(function () { /* offline: try again on the next tick */ });
  }

  function startPolling() {
    if (!pollTimer) { pollTimer = setInterval(poll, 4000); }
  }

  function stopPolling() {
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }

  var live = window.ConfideLive.connect(root.dataset.wsPath, {
    open: function () { setState("live"); stopPolling(); poll(); },
    close: function () { setState("offline"); startPolling(); },
    message: onEvent
  });
  setState("offline");
  // If the socket never opens (blocked by a proxy), poll until it does.
  setTimeout(function () { if (!live.isOpen()) { startPolling(); } }, 3000);

  form.addEventListener("submit", function (event) {
    var hasFile = fileInput && fileInput.files && fileInput.files.length > 0;
    if (hasFile || !live.isOpen()) { return; } // plain form post: attachments, or no socket
    event.preventDefault();
    var body = textarea.value;
    if (!body.trim()) { errorBox.textContent = ""; }
    live.send({ type: "send", body: body, ref: String(Date.now()) });
  });

  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    var now = Date.now();
    if (now - lastTyping > 3000) {
      lastTyping = now;
      live.send({ type: "typing" });
    }
  });

  root.addEventListener("submit", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLFormElement)) { return; }
    if (!target.classList.contains("chat-delete") && target.id !== "delete-all-form") { return; }
    event.preventDefault();
    fetch(target.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) { return response.json(); }).then(function (data) {
      if (!data.ok) { errorBox.textContent = data.message; return; }
      if (target.id === "delete-all-form") {
        onEvent({ type: "message.cleared" });
        target.closest("details").open = false;
      } else {
        var item = target.closest("li");
        if (item) { item.remove(); }
      }
    }).catch(function () { target.submit(); });
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { live.send({ type: "read" }); }
  });
})();
