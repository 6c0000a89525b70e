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
  var THUMB_UP = "M1 21h4V9H1v12zm22-11a2 2 0 0 0-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59A1.98 1.98 0 0 0 7 9v10a2 2 0 0 0 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";
  var THUMB_DOWN = "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2a2 2 0 0 0 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5a2 2 0 0 0-2-2zm4 0v12h4V3h-4z";
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

  // Numbers the clinic's settings name (999, 111, 116 123…): tappable even though they are short.
  var knownNumbers = [];
  var LINKS = /(https?:\/\/[^\s<>"')]+[^\s<>"').,;:!?])|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})|(\+?\(?\d[\d ()-]{0,20}\d)/g;

  function digits(text) { return String(text || "").replace(/[^\d]/g, ""); }

  // Whether a run of digits in a message is a phone number: 7 to 15 digits, or one of the clinic's
  // numbers, standing on its own ("111.nhs.uk", "2-3 times", "8am" are not).
  function isPhone(text, candidate, start) {
    var before = text.charAt(start - 1), after = text.slice(start + candidate.length, start + candidate.length + 2);
    if (/[\w.@\/]/.test(before) || /^[\w@]/.test(after) || /^[.,]\w/.test(after)) return false;
    if (/^\d{4}-\d{2}-\d{2}$/.test(candidate)) return false;  // a date
    var n = digits(candidate);
    if (n.length >= 7 && n.length <= 15) return true;
    return knownNumbers.indexOf(n) !== -1;
  }

  // Text with web links, e-mail addresses and phone numbers made tappable (https:, mailto:, tel:),
  // built from text nodes and <a> elements only: the message text is never parsed as markup.
  function appendText(parent, text) {
    var last = 0, match;
    LINKS.lastIndex = 0;
    while ((match = LINKS.exec(text)) !== null) {
      var found = match[0], href = null, attrs = {};
      if (match[1]) { href = found; attrs = { target: "_blank", rel: "noopener noreferrer" }; }
      else if (match[2]) href = "mailto:" + found;
      else {
        found = found.replace(/[\s(-]+$/, "");
        if (isPhone(text, found, match.index)) href = "tel:" + found.replace(/[^\d+]/g, "");
        else { LINKS.lastIndex = match.index + Math.max(1, found.length); continue; }
      }
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      attrs.href = href;
      attrs.className = match[3] ? "tel" : (match[2] ? "mail" : "web");
      parent.appendChild(el("a", attrs, found));
      last = match.index + found.length;
      LINKS.lastIndex = last;
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
  css.onload = css.onerror = function () { frame.removeAttribute("hidden"); settleScroll(); };
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
  var restart = el("button", { type: "button", className: "restart", "aria-label": "Start over: new conversation",
    "aria-controls": "cmw-confirm" }, "Start over");
  var close = el("button", { type: "button", className: "close", "aria-label": "Close the chat" });
  close.appendChild(el("span", { "aria-hidden": "true" }, "×"));
  header.appendChild(heading);
  header.appendChild(restart);
  header.appendChild(close);

  // "Start over" asks first; after a referral it says that the advice still stands.
  var confirmBox = el("div", {
    id: "cmw-confirm", className: "confirm", role: "alertdialog", "aria-labelledby": "cmw-confirm-title",
    "aria-describedby": "cmw-confirm-text", hidden: "",
  });
  var confirmTitle = el("p", { id: "cmw-confirm-title", className: "confirm-title" }, "Start a new conversation?");
  var confirmText = el("p", { id: "cmw-confirm-text", className: "confirm-text" }, "");
  var confirmActions = el("div", { className: "confirm-actions" });
  var confirmYes = el("button", { type: "button", className: "confirm-yes" }, "Start over");
  var confirmNo = el("button", { type: "button", className: "confirm-no" }, "Keep this conversation");
  confirmActions.appendChild(confirmNo);
  confirmActions.appendChild(confirmYes);
  confirmBox.appendChild(confirmTitle);
  confirmBox.appendChild(confirmText);
  confirmBox.appendChild(confirmActions);

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
  var privacy = el("p", { className: "privacy", hidden: "" });
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(hint);
  form.appendChild(send);

  panel.appendChild(header);
  panel.appendChild(confirmBox);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(replies);
  panel.appendChild(form);
  panel.appendChild(status);
  panel.appendChild(privacy);
  panel.appendChild(alertRegion);
  frame.appendChild(panel);
  frame.appendChild(launcher);
  log.appendChild(empty);

  // ---- rendering -----------------------------------------------------------------------------

  var turnBubbles = [];  // the bot bubbles of the turn in progress (ratings go on its last answer)

  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  // The latest referral to call now stays whole in view until the client writes again: scrolled to
  // its top, or, when it is taller than the log, to its Call button (on a reload too).
  function settleScroll() {
    scrollToEnd();
    var cards = log.querySelectorAll(".msg[data-call-now]");
    var card = cards[cards.length - 1];
    if (!card || !log.clientHeight) return;
    var users = log.querySelectorAll(".msg.user"), lastUser = users[users.length - 1];
    if (lastUser && (card.compareDocumentPosition(lastUser) & Node.DOCUMENT_POSITION_FOLLOWING)) return;
    var logTop = log.getBoundingClientRect().top;
    var box = card.getBoundingClientRect();
    var target = log.scrollTop + (box.top - logTop) - 8;
    var call = card.querySelector(".call");
    if (call && box.height + 16 > log.clientHeight) {
      target = log.scrollTop + (call.getBoundingClientRect().bottom - logTop) - log.clientHeight + 8;
    }
    if (target < log.scrollTop) log.scrollTop = Math.max(0, target);
  }

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

  function removeEmpty() {
    if (empty.parentNode) empty.parentNode.removeChild(empty);
  }

  function addUser(text) {
    removeEmpty();
    var bubble = el("div", { className: "msg user" });
    bubble.appendChild(el("span", { className: "sr-only" }, "You said: "));
    var body = el("p", { className: "text" });
    body.textContent = text;
    bubble.appendChild(body);
    log.appendChild(bubble);
    scrollToEnd();
  }

  function addBot(message, live, extraClass) {
    if (!message || (typeof message.text !== "string" && !message.quick_replies)) return null;
    removeEmpty();
    var meta = (message.metadata && typeof message.metadata === "object") ? message.metadata : {};
    var urgency = typeof meta.urgency === "string" ? meta.urgency.replace(/[^a-z0-9_]/gi, "") : "";
    var bubble = el("div", { className: "msg bot" + (urgency ? " urgent urgency-" + urgency : "") +
                                        (extraClass ? " " + extraClass : "") });
    if (urgency) {
      bubble.setAttribute("data-urgency", urgency);
      if (meta.call_now) bubble.setAttribute("data-call-now", "true");
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
    if (typeof message.answer_id === "number") bubble.answerId = message.answer_id;
    log.appendChild(bubble);
    if (live && urgency && meta.call_now) alertRegion.textContent = "Urgent: " + (message.text || "");
    if (live) { showReplies(message.quick_replies); turnBubbles.push(bubble); settleScroll(); }
    return bubble;
  }

  // ---- ratings: a thumbs up or down on an answer, stored in the conversation by the server ------

  function addRating(bubble, answerId, current) {
    if (!bubble || typeof answerId !== "number" || bubble.querySelector(".rate")) return;
    var box = el("div", { className: "rate", role: "group", "aria-label": "Rate this answer" });
    box.appendChild(el("span", { className: "rate-question", "aria-hidden": "true" }, "Helpful?"));
    var note = el("span", { className: "rate-note", role: "status" }, "");
    [["up", "This answer helped", THUMB_UP], ["down", "This answer did not help", THUMB_DOWN]].forEach(function (kind) {
      var button = el("button", {
        type: "button", className: "rate-" + kind[0], "aria-label": kind[1],
        "aria-pressed": current === kind[0] ? "true" : "false",
      });
      button.appendChild(icon(kind[2], "rate-icon"));
      button.addEventListener("click", function () { sendRating(box, note, answerId, kind[0]); });
      box.appendChild(button);
    });
    box.appendChild(note);
    bubble.appendChild(box);
  }

  function sendRating(box, note, answerId, rating) {
    if (!socket || !ready) { note.textContent = "Not sent: not connected."; return; }
    note.textContent = "Sending…";
    socket.timeout(8000).emitWithAck("rate_answer", { answer: answerId, rating: rating })
      .then(function (ack) {
        if (!ack || !ack.ok) throw new Error("refused");
        Array.prototype.forEach.call(box.querySelectorAll("button"), function (button) {
          button.setAttribute("aria-pressed", button.className === "rate-" + rating ? "true" : "false");
        });
        note.textContent = "Thank you: the clinic will see this.";
      })
      .catch(function () { note.textContent = "Your rating could not be sent."; });
  }

  // End of a live turn: its last answer can be rated, unless the turn referred the client to call
  // now (nothing is added to an urgent card but the way to get help).
  function finishTurn() {
    var bubbles = turnBubbles;
    turnBubbles = [];
    if (bubbles.some(function (b) { return b.hasAttribute("data-call-now"); })) return;
    var rateable = bubbles.filter(function (b) { return typeof b.answerId === "number"; });
    if (!rateable.length) return;
    addRating(rateable[rateable.length - 1], rateable[rateable.length - 1].answerId, null);
    settleScroll();
  }

  // The welcome (the assistant's greeting, from the server) opens every conversation; its starter
  // buttons are offered until the client writes.
  function renderHistory(history, welcome) {
    while (log.firstChild) log.removeChild(log.firstChild);
    clearReplies();
    turnBubbles = [];
    if (welcome && typeof welcome.text === "string") addBot({ text: welcome.text }, false, "welcome");
    if (!history || !history.length) {
      if (!log.firstChild) log.appendChild(empty);
      else showReplies(welcome.quick_replies);
      scrollToEnd();
      return;
    }
    history.forEach(function (item) {
      if (item.sender === "user") { addUser(item.text || ""); return; }
      var bubble = addBot(item, false);
      if (bubble && item.rate) addRating(bubble, item.rate.answer, item.rate.rating);
    });
    var last = history[history.length - 1];
    if (last.sender === "bot") showReplies(last.quick_replies);
    settleScroll();
  }

  function showEmergencyNumber(number) {
    var tel = String(number || "").replace(/[^\d+]/g, "");
    if (!tel || emergencyLine.childNodes.length) return;
    emergencyLine.appendChild(document.createTextNode("Emergency? Call "));
    emergencyLine.appendChild(el("a", { href: "tel:" + tel, className: "emergency-link" }, String(number)));
    emergencyLine.appendChild(document.createTextNode("."));
    emergencyLine.removeAttribute("hidden");
  }

  var emergencyNumber = "";
  function applyConfig(data) {
    emergencyNumber = String(data.emergency_number || "");
    showEmergencyNumber(emergencyNumber);
    knownNumbers = (Array.isArray(data.numbers) ? data.numbers : []).map(digits).filter(Boolean);
    if (privacy.childNodes.length || !data.privacy_notice) return;
    privacy.appendChild(document.createTextNode(String(data.privacy_notice) + " "));
    if (/^https?:\/\//.test(String(data.privacy_url || ""))) {
      privacy.appendChild(el("a", { href: String(data.privacy_url), target: "_blank", rel: "noopener noreferrer" },
                             "Privacy policy"));
    }
    privacy.removeAttribute("hidden");
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

  // The message box grows with what is typed, up to its CSS max-height, then scrolls.
  function fitInput() {
    input.style.height = "";
    if (!input.value) return;  // the CSS height, exactly as before anything was typed
    input.style.height = "auto";
    input.style.height = Math.max(input.scrollHeight + 2, input.getBoundingClientRect().height) + "px";
  }

  // ---- open / close --------------------------------------------------------------------------

  var phoneView = window.matchMedia ? window.matchMedia("(max-width: 480px)") : { matches: false };

  function isOpen() { return !panel.hasAttribute("hidden"); }

  // On a phone the open chat covers the page: a modal dialog whose focus stays inside it.
  function syncModal() { panel.setAttribute("aria-modal", phoneView.matches && isOpen() ? "true" : "false"); }

  function openPanel(focus) {
    panel.removeAttribute("hidden");
    frame.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    if (session) session.setItem(OPEN_KEY, "1");
    syncModal();
    connect();
    settleScroll();
    if (focus !== false) input.focus();
  }

  function closePanel() {
    hideConfirm(false);
    panel.setAttribute("hidden", "");
    frame.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    if (session) session.removeItem(OPEN_KEY);
    syncModal();
    launcher.focus();
  }

  function focusables() {
    return Array.prototype.filter.call(
      panel.querySelectorAll('a[href], button:not([disabled]), textarea, [tabindex="0"]'),
      function (node) { return node.getClientRects().length > 0; });
  }

  // Tab and Shift+Tab cycle through the chat's controls while it covers a phone's screen.
  function trapFocus(event) {
    if (!phoneView.matches || !isOpen()) return;
    var nodes = focusables();
    if (!nodes.length) return;
    var first = nodes[0], last = nodes[nodes.length - 1], active = root.activeElement;
    if (event.shiftKey && (active === first || !panel.contains(active))) {
      event.preventDefault(); last.focus();
    } else if (!event.shiftKey && (active === last || !panel.contains(active))) {
      event.preventDefault(); first.focus();
    }
  }

  launcher.addEventListener("click", function () { isOpen() ? closePanel() : openPanel(); });
  close.addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Tab") trapFocus(event);
    if (event.key === "Escape") {
      event.preventDefault();
      if (!confirmBox.hasAttribute("hidden")) hideConfirm(true); else closePanel();
    }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", fitInput);
  form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
  restart.addEventListener("click", askStartOver);
  confirmYes.addEventListener("click", startOver);
  confirmNo.addEventListener("click", function () { hideConfirm(true); });
  if (phoneView.addEventListener) phoneView.addEventListener("change", syncModal);
  window.addEventListener("resize", settleScroll);

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

  var afterStartOver = "";
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
        applyConfig(data);
        renderHistory(data.restored ? data.history : [], data.welcome);
        if (afterStartOver) { setStatus(afterStartOver); afterStartOver = ""; }
        else if (hadToken && !data.restored) {
          setStatus("Your earlier conversation could not be restored, so this is a new one.");
        }
        ready = true;
        var pending = queue; queue = [];
        pending.forEach(function (item) { addUser(item.shown); setTyping(true); emitMessage(item.text); });
      });
      socket.on("session_required", function () { requestSession(); });
      socket.on("bot_uttered", function (message) { addBot(message, true); });
      socket.on("bot_turn_end", function () { setTyping(false); finishTurn(); });
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
    finishTurn();
    addUser(shown || text);
    setTyping(true);
    if (ready) emitMessage(text); else { queue.push({ text: text, shown: shown || text }); connect(); }
  }

  function submit() {
    var text = input.value;
    if (!text.trim()) return;
    input.value = "";
    fitInput();
    sendMessage(text);
    input.focus();
  }

  // The most urgent advice this conversation gave, as shown: "call_now", "referral" or "".
  function referralShown() {
    if (log.querySelector(".msg[data-call-now]")) return "call_now";
    return log.querySelector(".msg.urgent") ? "referral" : "";
  }

  // "Start over" asks first. After a referral it says the advice still stands (and after a referral
  // to call now, gives the number again), so a tap never silently wipes it.
  function askStartOver() {
    var referral = referralShown();
    while (confirmText.firstChild) confirmText.removeChild(confirmText.firstChild);
    var tel = emergencyNumber.replace(/[^\d+]/g, "");
    confirmBox.classList.toggle("after-referral", !!referral);
    if (referral === "call_now") {
      confirmText.appendChild(document.createTextNode(
        "The advice to call " + (emergencyNumber || "the emergency number") +
        " now still stands, even if you start over. If you have not called yet, call now."));
      if (tel) {
        var call = el("a", { className: "call call-emergency", href: "tel:" + tel });
        call.appendChild(icon(PHONE_ICON, "call-icon"));
        call.appendChild(document.createTextNode("Call " + emergencyNumber));
        confirmText.appendChild(call);
      }
    } else if (referral) {
      confirmText.textContent = "The advice you were given here still stands: please follow it. " +
        "A new conversation will not show it again.";
    } else {
      confirmText.textContent = "This clears the conversation from this window.";
    }
    confirmBox.removeAttribute("hidden");
    confirmNo.focus();
  }

  function hideConfirm(refocus) {
    confirmBox.setAttribute("hidden", "");
    if (refocus) restart.focus();
  }

  function startOver() {
    var referral = referralShown();
    hideConfirm(false);
    token = null;
    if (local) local.removeItem(TOKEN_KEY);
    renderHistory([]);
    setTyping(false);
    alertRegion.textContent = "";
    afterStartOver = referral === "call_now"
      ? "New conversation started. The advice to call " + (emergencyNumber || "the emergency number") + " still stands."
      : referral ? "New conversation started. The advice you were given still stands." : "New conversation started.";
    setStatus(afterStartOver);
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
