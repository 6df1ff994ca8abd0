/* Session room: device check (camera, microphone, speaker level via WebAudio), then a
   peer-to-peer WebRTC call. Only signaling (offer, answer, ICE) goes through our server; media
   flows directly between the two browsers and is never stored. The counselor's browser makes the
   offers; the client's answers. For tests, the room element exposes its current peer connection
   as the property ``confidePeer`` and its state in ``data-call-state``. */
(function () {
  "use strict";

  var root = document.getElementById("room");
  if (!root || !window.ConfideLive) { return; }
  var $ = function (id) { return document.getElementById(id); };
  var labels = { ok: $("label-ok").textContent, denied: $("label-denied").textContent, off: $("label-off").textContent };
  var callStatus = $("call-status");
  var stream = null;          // the local MediaStream (may hold no tracks)
  var pc = null;
  var live = null;
  var role = "";
  var iceServers = [];
  var pendingIce = [];
  var audioCtx = null;
  var meterFrame = 0;
  var leaving = false;

  function setState(state) { root.dataset.callState = state; }
  function say(key) { callStatus.textContent = callStatus.dataset[key] || ""; }

  // --- Device check ---------------------------------------------------------------------------
  function audioContext() {
    if (!audioCtx) {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) { return null; }
      audioCtx = new Ctx();
    }
    if (audioCtx.state === "suspended") { audioCtx.resume(); }
    return audioCtx;
  }

  function level(analyser, buffer) {
    analyser.getFloatTimeDomainData(buffer);
    var sum = 0;
    for (var i = 0; i < buffer.length; i++) { sum += buffer[i] * buffer[i]; }
    return Math.min(1, Math.sqrt(sum / buffer.length) * 4);
  }

  function watchMicrophone() {
    if (!stream || !stream.getAudioTracks().length) { return; }
    var ctx = audioContext();
    if (!ctx) { return; }
    var analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    ctx.createMediaStreamSource(stream).connect(analyser);
    var buffer = new Float32Array(analyser.fftSize);
    var meter = $("mic-level");
    (function tick() {
      meter.value = level(analyser, buffer);
      meterFrame = window.requestAnimationFrame(tick);
    })();
  }

  function playTestSound() {
    var ctx = audioContext();
    if (!ctx) { return; }
    var osc = ctx.createOscillator();
    var gain = ctx.createGain();
    var analyser = ctx.createAnalyser();
    osc.frequency.value = 440;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(analyser).connect(ctx.destination);
    var buffer = new Float32Array(analyser.fftSize);
    var meter = $("speaker-level");
    var until = Date.now() + 1200;
    osc.start();
    osc.stop(ctx.currentTime + 1.2);
    (function tick() {
      meter.value = Date.now() < until ? level(analyser, buffer) : 0;
      if (Date.now() < until) { window.requestAnimationFrame(tick); }
    })();
  }

  function getMedia(constraints) {
    return navigator.mediaDevices.getUserMedia(constraints).catch(function () { return null; });
  }

  function checkDevices() {
    var md = navigator.mediaDevices;
    if (!md || !md.getUserMedia) { return Promise.resolve(null); }
    return getMedia({ video: true, audio: true }).then(function (both) {
      if (both) { return both; }
      // One device refused or missing: take what is allowed, never a dead end.
      return getMedia({ audio: true }).then(function (audio) {
        return getMedia({ video: true }).then(function (video) {
          var tracks = [];
          if (audio) { tracks = tracks.concat(audio.getTracks()); }
          if (video) { tracks = tracks.concat(video.getTracks()); }
          return tracks.length ? new MediaStream(tracks) : null;
        });
      });
    });
  }

  function showDevices() {
    var hasVideo = !!stream && stream.getVideoTracks().length > 0;
    var hasAudio = !!stream && stream.getAudioTracks().length > 0;
    $("camera-status").textContent = hasVideo ? labels.ok : labels.denied;
    $("mic-status").textContent = hasAudio ? labels.ok : labels.denied;
    $("join-video").hidden = !(hasVideo && hasAudio);
    $("join-audio").hidden = !hasAudio;
    var help = $("device-help");
    help.textContent = hasVideo && hasAudio ? help.dataset.ok : help.dataset.denied;
    root.dataset.devices = (hasVideo ? "camera " : "") + (hasAudio ? "microphone" : "");
    if (hasVideo) { $("preview").srcObject = stream; }
    watchMicrophone();
  }

  // --- Peer connection -----------------------------------------------------------------------
  function send(frame) { if (live) { live.send(frame); } }

  function closePeer() {
    if (pc) { pc.ontrack = null; pc.onicecandidate = null; pc.onconnectionstatechange = null; pc.close(); }
    pc = null;
    root.confidePeer = null;
    pendingIce = [];
  }

  function newPeer() {
    closePeer();
    pc = new RTCPeerConnection({ iceServers: iceServers });
    root.confidePeer = pc;
    pc.ontrack = function (event) {
      var remote = $("remote-video");
      if (!remote.srcObject) { remote.srcObject = new MediaStream(); }
      remote.srcObject.addTrack(event.track);
    };
    pc.onicecandidate = function (event) {
      send({ type: "ice", candidate: event.candidate ? event.candidate.toJSON() : null });
    };
    pc.onconnectionstatechange = function () {
      var state = pc ? pc.connectionState : "closed";
      setState(state);
      if (state === "connected") { say("connected"); }
      if (state === "failed") {
        say("reconnecting");
        if (role === "counselor") { makeOffer(); }
      }
    };
    $("remote-video").srcObject = null;
    return pc;
  }

  function addLocalTracks(peer) {
    if (!stream) { return; }
    stream.getTracks().forEach(function (track) { peer.addTrack(track, stream); });
  }

  function ensureReceiving(peer) {
    var kinds = peer.getTransceivers().map(function (t) { return t.receiver.track.kind; });
    ["audio", "video"].forEach(function (kind) {
      if (kinds.indexOf(kind) < 0) { peer.addTransceiver(kind, { direction: "recvonly" }); }
    });
  }

  function makeOffer() {
    var peer = newPeer();
    say("connecting");
    setState("connecting");
    addLocalTracks(peer);
    ensureReceiving(peer);
    peer.createOffer().then(function (offer) {
      return peer.setLocalDescription(offer);
    }).then(function () {
      send({ type: "offer", sdp: peer.localDescription.sdp });
    });
  }

  function flushIce(peer) {
    pendingIce.forEach(function (c) { peer.addIceCandidate(c).catch(function () {}); });
    pendingIce = [];
  }

  function onOffer(sdp) {
    var peer = newPeer();
    say("connecting");
    setState("connecting");
    peer.setRemoteDescription({ type: "offer", sdp: sdp }).then(function () {
      addLocalTracks(peer);
      flushIce(peer);
      return peer.createAnswer();
    }).then(function (answer) {
      return peer.setLocalDescription(answer);
    }).then(function () {
      send({ type: "answer", sdp: peer.localDescription.sdp });
    });
  }

  function onAnswer(sdp) {
    if (!pc) { return; }
    var peer = pc;
    peer.setRemoteDescription({ type: "answer", sdp: sdp }).then(function () { flushIce(peer); });
  }

  function onIce(candidate) {
    if (!candidate) { return; }
    if (pc && pc.remoteDescription) { pc.addIceCandidate(candidate).catch(function () {}); }
    else { pendingIce.push(candidate); }
  }

  function onEvent(event) {
    if (event.type === "welcome") {
      role = event.role;
      iceServers = event.ice_servers || [];
      if (event.peer_present) {
        say("connecting");
        if (role === "counselor") { makeOffer(); }
      } else {
        say("waiting");
        setState("waiting");
      }
    } else if (event.type === "peer.joined") {
      say("connecting");
      if (role === "counselor") { makeOffer(); }
    } else if (event.type === "peer.left") {
      closePeer();
      say("left");
      setState("waiting");
    } else if (event.type === "signal.offer") {
      onOffer(event.sdp);
    } else if (event.type === "signal.answer") {
      onAnswer(event.sdp);
    } else if (event.type === "signal.ice") {
      onIce(event.candidate);
    } else if (event.type === "error") {
      callStatus.textContent = event.message;
    }
  }

  // --- Joining, controls, leaving --------------------------------------------------------------
  function join(mode) {
    if (stream && mode !== "video") {
      stream.getVideoTracks().forEach(function (t) { t.stop(); stream.removeTrack(t); });
    }
    if (stream && mode === "none") {
      stream.getAudioTracks().forEach(function (t) { t.stop(); stream.removeTrack(t); });
    }
    root.dataset.mode = mode;
    $("waiting-room").hidden = true;
    $("call").hidden = false;
    $("local-video").srcObject = stream && stream.getVideoTracks().length ? stream : null;
    $("toggle-camera").hidden = !(stream && stream.getVideoTracks().length);
    $("toggle-mic").hidden = !(stream && stream.getAudioTracks().length);
    leaving = false;
    setState("joining");
    live = window.ConfideLive.connect(root.dataset.wsPath, {
      message: onEvent,
      close: function () {
        if (leaving) { return; }
        closePeer();
        say("reconnecting");
        setState("reconnecting");
      }
    });
    $("leave").focus();
  }

  function toggle(button, kind) {
    if (!stream) { return; }
    var tracks = kind === "audio" ? stream.getAudioTracks() : stream.getVideoTracks();
    var off = button.getAttribute("aria-pressed") !== "true";
    tracks.forEach(function (t) { t.enabled = !off; });
    button.setAttribute("aria-pressed", off ? "true" : "false");
    button.textContent = off ? button.dataset.off : button.dataset.on;
    send({
      type: "media",
      audio: stream.getAudioTracks().some(function (t) { return t.enabled; }),
      video: stream.getVideoTracks().some(function (t) { return t.enabled; })
    });
  }

  function leave() {
    leaving = true;
    if (live) { live.close(); live = null; }
    closePeer();
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    window.cancelAnimationFrame(meterFrame);
    say("ended");
    setState("left");
    $("toggle-mic").hidden = true;
    $("toggle-camera").hidden = true;
    $("leave").hidden = true;
  }

  $("join-video").addEventListener("click", function () { audioContext(); join("video"); });
  $("join-audio").addEventListener("click", function () { audioContext(); join("audio"); });
  $("join-none").addEventListener("click", function () { join("none"); });
  $("speaker-test").addEventListener("click", playTestSound);
  $("toggle-mic").addEventListener("click", function () { toggle(this, "audio"); });
  $("toggle-camera").addEventListener("click", function () { toggle(this, "video"); });
  $("leave").addEventListener("click", leave);
  window.addEventListener("pagehide", function () { if (live) { leave(); } });

  checkDevices().then(function (media) {
    stream = media;
    showDevices();
    setState("ready");
  });
})();
