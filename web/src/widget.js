/*
 * Chat widget for the clinic's muscle-spasm self-care assistant.
 *
 * Embed with one tag:
 *   <script src="https://HOST/widget/widget.js" data-server="https://HOST" defer></script>
 * Optional attributes: data-title (panel title), data-open="true" (open on load).
 *
 * Talks to the server's socket.io channel (bot/channels/secure_socketio.py): the server issues a
 * signed session token, kept in localStorage and bound to a non-extractable WebCrypto key kept in
 * IndexedDB, so a copied token is worth nothing in another browser. All user and bot text is put
 * into the page with textContent / text nodes, never as markup.
 */
(function () {
  "use strict";

  var script = document.currentScript ||
    document.querySelector('script[src*="/widget/widget.js"]');
  if (!script || window.__calmMuscleWidget) return;
  window.__calmMuscleWidget = true;

  var SERVER = (script.getAttribute("data-server") || new URL(script.src, location.href).origin)
    .replace(/\/+$/, "");
  var TITLE = script.getAttribute("data-title") || "Self-care assistant";
  var OPEN_ON_LOAD = script.getAttribute("data-open") === "true";
  var TOKEN_KEY = "cmw:token:" + SERVER;
  var OPEN_KEY = "cmw:open:" + SERVER;
  var PROOF_PREFIX = "rasa-widget-session:";
  var TURN_TIMEOUT_MS = 45000;
  // well over the server's limit (5,000): the server answers a longer message with "too long" and reads
  // its first part, so a red flag written first is never cut off here (issue 15, finding 6)
  var MAX_CHARS = 20000;

  // ---- small helpers -------------------------------------------------------------------------

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "className") node.className = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // A small icon from SVG path data, built with DOM calls (no markup parsing).
  function icon(pathData, className) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "icon " + (className || ""));
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", pathData);
    svg.appendChild(path);
    return svg;
  }
  var CHAT_ICON = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";
  var PHONE_ICON = "M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z";

  function storage(kind) {
    try { var s = window[kind]; s.setItem("cmw:probe", "1"); s.removeItem("cmw:probe"); return s; }
    catch (e) { return null; }
  }
  var local = storage("localStorage");
  var session = storage("sessionStorage");

  function b64url(buffer) {
    var bytes = new Uint8Array(buffer), binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // Text with http(s) links made clickable, built from text nodes and <a> elements only.
  function appendText(parent, text) {
    var urls = /https?:\/\/[^\s<>"')]+[^\s<>"').,;:!?]/g, last = 0, match;
    while ((match = urls.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var a = el("a", { href: match[0], target: "_blank", rel: "noopener noreferrer" }, match[0]);
      parent.appendChild(a);
      last = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // ---- device key (proof of possession for the session token) --------------------------------

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("cmw-device", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("keys"); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function dbCall(db, mode, action) {
    return new Promise(function (resolve, reject) {
      var request = action(db.transaction("keys", mode).objectStore("keys"));
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  var deviceKeyPromise = null;
  function deviceKey() {
    if (!deviceKeyPromise) {
      deviceKeyPromise = (async function () {
        if (!window.isSecureContext || !window.crypto || !crypto.subtle || !window.indexedDB) {
          return null;
        }
        var db = await openDb();
        var pair = await dbCall(db, "readonly", function (store) { return store.get(SERVER); });
        if (!pair) {
          pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false,
                                                 ["sign", "verify"]);
          await dbCall(db, "readwrite", function (store) { return store.put(pair, SERVER); });
        }
        return { pair: pair, publicKey: b64url(await crypto.subtle.exportKey("raw", pair.publicKey)) };
      })().catch(function () { return null; });
    }
    return deviceKeyPromise;
  }

  // ---- socket.io client, loaded without leaking a global into the host page ------------------

  function loadSocketIO() {
    return new Promise(function (resolve, reject) {
      var previousIo = window.io, previousDefine = window.define;
      if (previousDefine && previousDefine.amd) window.define = undefined;
      var tag = el("script", { src: SERVER + "/widget/socket.io.min.js", async: "" });
      tag.onload = function () {
        var lib = window.io;
        window.io = previousIo;
        if (previousDefine) window.define = previousDefine;
        lib ? resolve(lib) : reject(new Error("socket.io did not load"));
      };
      tag.onerror = function () {
        if (previousDefine) window.define = previousDefine;
        reject(new Error("socket.io did not load"));
      };
      document.head.appendChild(tag);
    });
  }

  // ---- DOM -----------------------------------------------------------------------------------

  var host = el("div", { id: "calm-muscle-chat", "data-widget": "calm-muscle-chat" });
  var root = host.attachShadow({ mode: "open" });
  var css = el("link", { rel: "stylesheet", href: SERVER + "/widget/widget.css" });
  var frame = el("div", { className: "cmw", hidden: "" });
  css.onload = css.onerror = function () { frame.removeAttribute("hidden"); };
  root.appendChild(css);
  root.appendChild(frame);

  var launcher = el("button", {
    type: "button", className: "launcher", "aria-label": "Open the chat with " + TITLE,
    "aria-expanded": "false", "aria-controls": "cmw-panel",
  });
  launcher.appendChild(icon(CHAT_ICON, "launcher-icon"));
  launcher.appendChild(el("span", { className: "launcher-text" }, "Chat"));

  var panel = el("section", {
    id: "cmw-panel", className: "panel", role: "dialog", "aria-modal": "false",
    "aria-labelledby": "cmw-title", hidden: "",
  });
  var header = el("header", { className: "header" });
  var heading = el("div", { className: "heading" });
  heading.appendChild(el("h2", { id: "cmw-title" }, TITLE));
  var subtitle = el("p", { className: "subtitle" }, "Automated assistant, not a clinician.");
  var emergencyLine = el("span", { className: "emergency-line", hidden: "" });
  subtitle.appendChild(document.createTextNode(" "));
  subtitle.appendChild(emergencyLine);
  heading.appendChild(subtitle);
  var restart = el("button", { type: "button", className: "restart", "aria-label": "Start over: new conversation" }, "Start over");
  var close = el("button", { type: "button", className: "close", "aria-label": "Close the chat" });
  close.appendChild(el("span", { "aria-hidden": "true" }, "×"));
  header.appendChild(heading);
  header.appendChild(restart);
  header.appendChild(close);

  var log = el("div", {
    className: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "Conversation", tabindex: "0",
  });
  var empty = el("p", { className: "empty" },
    "Ask about cramps and spasms: stretches, heat or ice, fluids, when to see someone.");
  var alertRegion = el("div", { className: "sr-only", role: "alert" });
  var typing = el("div", { className: "typing", role: "status", hidden: "" });
  typing.appendChild(el("span", { className: "dots", "aria-hidden": "true" }, ""));
  typing.appendChild(el("span", { className: "sr-only" }, "The assistant is typing…"));
  var replies = el("div", { className: "quick-replies", role: "group", "aria-label": "Suggested replies" });
  var form = el("form", { className: "composer", "aria-label": "Send a message" });
  var inputLabel = el("label", { for: "cmw-input", className: "sr-only" }, "Your message");
  var input = el("textarea", {
    id: "cmw-input", rows: "1", maxlength: String(MAX_CHARS), autocomplete: "off",
    placeholder: "Type your message…", "aria-describedby": "cmw-hint",
  });
  var hint = el("span", { id: "cmw-hint", className: "sr-only" },
    "Enter sends, Shift+Enter starts a new line, Escape closes the chat.");
  var send = el("button", { type: "submit", className: "send", "aria-label": "Send message" }, "Send");
  var status = el("p", { className: "status", role: "status", "aria-live": "polite" }, "");
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(hint);
  form.appendChild(send);

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(replies);
  panel.appendChild(form);
  panel.appendChild(status);
  panel.appendChild(alertRegion);
  frame.appendChild(panel);
  frame.appendChild(launcher);
  log.appendChild(empty);

  // ---- rendering -----------------------------------------------------------------------------

  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  function clearReplies() { while (replies.firstChild) replies.removeChild(replies.firstChild); }

  function showReplies(quickReplies) {
    clearReplies();
    (quickReplies || []).forEach(function (reply) {
      if (!reply || !reply.title) return;
      var button = el("button", { type: "button", className: "reply" }, reply.title);
      button.addEventListener("click", function () {
        sendMessage(reply.payload || reply.title, reply.title);
        input.focus();
      });
      replies.appendChild(button);
    });
  }

  function addUser(text) {
    if (empty.parentNode) empty.parentNode.removeChild(empty);
    var bubble = el("div", { className: "msg user" });
    bubble.appendChild(el("span", { className: "sr-only" }, "You said: "));
    var body = el("p", { className: "text" });
    body.textContent = text;
    bubble.appendChild(body);
    log.appendChild(bubble);
    scrollToEnd();
  }

  function addBot(message, live) {
    if (!message || (typeof message.text !== "string" && !message.quick_replies)) return;
    if (empty.parentNode) empty.parentNode.removeChild(empty);
    var meta = (message.metadata && typeof message.metadata === "object") ? message.metadata : {};
    var urgency = typeof meta.urgency === "string" ? meta.urgency.replace(/[^a-z0-9_]/gi, "") : "";
    var bubble = el("div", { className: "msg bot" + (urgency ? " urgent urgency-" + urgency : "") });
    if (urgency) {
      bubble.setAttribute("data-urgency", urgency);
      bubble.appendChild(el("p", { className: "badge" }, meta.call_now ? "Urgent" : "Important"));
    } else {
      bubble.appendChild(el("span", { className: "sr-only" }, "Assistant: "));
    }
    var body = el("p", { className: "text" });
    appendText(body, message.text || "");
    bubble.appendChild(body);
    (Array.isArray(meta.calls) ? meta.calls : []).forEach(function (call) {
      var tel = String(call && call.tel || "").replace(/[^\d+]/g, "");
      if (!tel) return;
      var link = el("a", {
        className: "call call-" + String(call.kind || "").replace(/[^a-z]/gi, ""),
        href: "tel:" + tel,
      });
      link.appendChild(icon(PHONE_ICON, "call-icon"));
      link.appendChild(document.createTextNode(call.label || ("Call " + tel)));
      bubble.appendChild(link);
    });
    log.appendChild(bubble);
    if (live && urgency && meta.call_now) alertRegion.textContent = "Urgent: " + (message.text || "");
    if (live) showReplies(message.quick_replies);
    scrollToEnd();
  }

  function renderHistory(history) {
    while (log.firstChild) log.removeChild(log.firstChild);
    clearReplies();
    if (!history || !history.length) { log.appendChild(empty); return; }
    history.forEach(function (item) {
      if (item.sender === "user") addUser(item.text || "");
      else addBot(item, false);
    });
    var last = history[history.length - 1];
    if (last.sender === "bot") showReplies(last.quick_replies);
  }

  function showEmergencyNumber(number) {
    var tel = String(number || "").replace(/[^\d+]/g, "");
    if (!tel || emergencyLine.childNodes.length) return;
    emergencyLine.appendChild(document.createTextNode("Emergency? Call "));
    emergencyLine.appendChild(el("a", { href: "tel:" + tel, className: "emergency-link" }, String(number)));
    emergencyLine.appendChild(document.createTextNode("."));
    emergencyLine.removeAttribute("hidden");
  }

  var typingTimer = null;
  function setTyping(on) {
    clearTimeout(typingTimer);
    if (on) {
      typing.removeAttribute("hidden");
      typingTimer = setTimeout(function () { setTyping(false); }, TURN_TIMEOUT_MS);
    } else {
      typing.setAttribute("hidden", "");
    }
  }

  // ---- open / close --------------------------------------------------------------------------

  function isOpen() { return !panel.hasAttribute("hidden"); }

  function openPanel(focus) {
    panel.removeAttribute("hidden");
    frame.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    if (session) session.setItem(OPEN_KEY, "1");
    connect();
    scrollToEnd();
    if (focus !== false) input.focus();
  }

  function closePanel() {
    panel.setAttribute("hidden", "");
    frame.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    if (session) session.removeItem(OPEN_KEY);
    launcher.focus();
  }

  launcher.addEventListener("click", function () { isOpen() ? closePanel() : openPanel(); });
  close.addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); closePanel(); }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
  restart.addEventListener("click", startOver);

  // ---- conversation --------------------------------------------------------------------------

  var socket = null, ready = false, queue = [], connecting = null;
  var token = local ? local.getItem(TOKEN_KEY) : null;

  function setStatus(text) { status.textContent = text; }

  async function requestSession() {
    ready = false;
    var payload = { session_id: token || null };
    try {
      var key = await deviceKey();
      if (key) {
        var challenge = await socket.timeout(5000).emitWithAck("session_challenge", {});
        var signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key.pair.privateKey,
          new TextEncoder().encode(PROOF_PREFIX + challenge.nonce));
        payload.public_key = key.publicKey;
        payload.proof = b64url(signature);
      }
    } catch (e) { /* unbound session: the token alone identifies it */ }
    socket.emit("session_request", payload);
  }

  function routeKey() {
    var bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function connect() {
    if (connecting) return connecting;
    setStatus("Connecting…");
    connecting = loadSocketIO().then(function (io) {
      // `route`: a random key for this page that a load balancer hashes to keep the connection's
      // requests on one server (nginx in the production profile); it identifies nothing else.
      socket = io(SERVER, { path: "/socket.io", withCredentials: false, query: { route: routeKey() } });
      socket.on("connect", function () { setStatus(""); requestSession(); });
      socket.on("session_confirm", function (data) {
        data = data || {};
        var hadToken = !!token;
        token = typeof data === "string" ? data : data.session_id;
        if (local && token) local.setItem(TOKEN_KEY, token);
        renderHistory(data.restored ? data.history : []);
        showEmergencyNumber(data.emergency_number);
        if (hadToken && !data.restored) {
          setStatus("Your earlier conversation could not be restored, so this is a new one.");
        }
        ready = true;
        var pending = queue; queue = [];
        pending.forEach(function (item) { addUser(item.shown); setTyping(true); emitMessage(item.text); });
      });
      socket.on("session_required", function () { requestSession(); });
      socket.on("bot_uttered", function (message) { addBot(message, true); });
      socket.on("bot_turn_end", function () { setTyping(false); });
      socket.on("disconnect", function () { ready = false; setStatus("Reconnecting…"); });
      socket.on("connect_error", function () { setStatus("Can't reach the assistant. Retrying…"); });
    }).catch(function () {
      setStatus("The chat could not load. Please try again later.");
      connecting = null;
    });
    return connecting;
  }

  function emitMessage(text) {
    socket.emit("user_uttered", { message: text });
  }

  function sendMessage(text, shown) {
    text = String(text || "").trim().slice(0, MAX_CHARS);
    if (!text) return;
    clearReplies();
    addUser(shown || text);
    setTyping(true);
    if (ready) emitMessage(text); else { queue.push({ text: text, shown: shown || text }); connect(); }
  }

  function submit() {
    var text = input.value;
    if (!text.trim()) return;
    input.value = "";
    sendMessage(text);
    input.focus();
  }

  function startOver() {
    token = null;
    if (local) local.removeItem(TOKEN_KEY);
    renderHistory([]);
    setTyping(false);
    alertRegion.textContent = "";
    setStatus("New conversation started.");
    if (socket && socket.connected) requestSession(); else connect();
    input.focus();
  }

  // ---- start -----------------------------------------------------------------------------------

  function mount() {
    document.body.appendChild(host);
    if (OPEN_ON_LOAD || (session && session.getItem(OPEN_KEY))) openPanel(false);
    else if (token) connect();  // restore the conversation in the background
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
