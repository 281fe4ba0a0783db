/* "Live samtaler" without reloading: the queue and the chat follow their
 * server-sent events (bot/web/admin/live_events.py), and a message is sent
 * through the JSON API (POST /admin/api/live/{id}/send with the session's
 * CSRF token in X-CSRF-Token, read from the form's own csrf_token field).
 *
 * Without this script the pages still work: the forms post and redirect, and
 * the queue reloads itself. Every text from the server is set with
 * textContent, never as HTML. The Danish words come from the page (data-*),
 * so they live in one place: the templates and bot/web/admin/live_view.py.
 */
(function () {
  "use strict";

  var TYPING_EVERY_MS = 2000;  // "staff are typing" at most this often
  // "Still here", from the browser itself: a connection that died half-way (a closed
  // laptop) would keep a server-side stream looking alive for many minutes.
  var SEEN_EVERY_MS = 5000;
  var CLOCK_EVERY_MS = 15000;  // how often the waiting times count on

  function post(url, csrf, body) {
    var options = {method: "POST", credentials: "same-origin", headers: {"X-CSRF-Token": csrf}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options);
  }

  function setText(root, selector, text) {
    root.querySelectorAll(selector).forEach(function (element) { element.textContent = text; });
  }

  // The stream is gone for good (logged out, server down): say so, since the page no longer changes.
  function watchStream(source) {
    source.addEventListener("error", function () {
      var note = document.getElementById("live-offline");
      if (note && source.readyState === EventSource.CLOSED) {
        note.hidden = false;
      }
    });
  }

  // --- the queue -------------------------------------------------------------------------------

  function waitText(words, seconds) {
    return seconds < 60 ? words.under : words.minutes.replace("{n}", String(Math.floor(seconds / 60)));
  }

  function queuePage(queue) {
    var words = queue.dataset;
    var lists = {waiting: document.getElementById("live-waiting"), taken: document.getElementById("live-taken")};
    var templates = {waiting: document.getElementById("live-waiting-template"),
                     taken: document.getElementById("live-taken-template")};
    var received = Date.now();

    function newRow(chat) {
      var row = templates[chat.status].content.firstElementChild.cloneNode(true);
      row.id = "live-chat-" + chat.id;
      row.dataset.chat = chat.id;
      var form = row.querySelector("form");
      if (form) {
        form.action = "/admin/live/" + chat.id + "/take";
        var input = form.querySelector("input[name=shown_name]");
        input.id = "shown-name-" + chat.id;
        form.querySelector("label").htmlFor = input.id;
        form.querySelector("button.take").dataset.chat = chat.id;
      }
      var open = row.querySelector("a.open-chat");
      if (open) {
        open.href = "/admin/live/" + chat.id;
      }
      return row;
    }

    function fill(row, chat) {
      row.dataset.waited = chat.waited_seconds;
      setText(row, ".place-number", chat.position === null ? "" : String(chat.position));
      setText(row, ".channel", chat.channel_name);
      setText(row, ".language", chat.language_name);
      setText(row, ".holder", chat.mine ? words.holderMine : words.holderOther.replace("{name}", chat.staff_name));
      row.classList.toggle("mine", chat.mine);
      var open = row.querySelector("a.open-chat");
      if (open) {
        open.hidden = !chat.mine;
      }
    }

    function showWaits() {
      var elapsed = Math.floor((Date.now() - received) / 1000);
      lists.waiting.querySelectorAll("li.live-chat").forEach(function (row) {
        setText(row, ".wait", waitText({under: words.waitUnder, minutes: words.waitMinutes},
                                       Number(row.dataset.waited) + elapsed));
      });
      lists.taken.querySelectorAll("li.live-chat").forEach(function (row) {
        setText(row, ".wait", waitText({under: words.waitedUnder, minutes: words.waitedMinutes},
                                       Number(row.dataset.waited)));
      });
    }

    function update(body) {
      received = Date.now();
      ["waiting", "taken"].forEach(function (status) {
        var list = lists[status];
        var chats = body.chats.filter(function (chat) { return chat.status === status; });
        var kept = {};
        chats.forEach(function (chat, index) {
          var row = document.getElementById("live-chat-" + chat.id);
          if (row && row.parentNode !== list) {
            row.remove();
            row = null;
          }
          row = row || newRow(chat);
          fill(row, chat);
          // Moved only when out of place: moving a row takes the focus from a name being typed.
          if (list.children[index] !== row) {
            list.insertBefore(row, list.children[index] || null);
          }
          kept[chat.id] = true;
        });
        Array.prototype.slice.call(list.children).forEach(function (row) {
          if (!kept[row.dataset.chat]) {
            row.remove();
          }
        });
        document.getElementById("live-none-" + status).hidden = chats.length > 0;
        document.getElementById("live-" + status + "-count").textContent = "(" + chats.length + ")";
      });
      var menu = document.getElementById("nav-live-waiting");
      if (menu) {
        menu.textContent = body.waiting ? menu.dataset.words.replace("{n}", String(body.waiting)) : "";
      }
      showWaits();
    }

    var source = new EventSource(queue.dataset.events);
    source.addEventListener("queue", function (event) { update(JSON.parse(event.data)); });
    source.addEventListener("opening", function (event) {
      document.getElementById("live-opening").textContent = JSON.parse(event.data).text;
    });
    watchStream(source);
    window.setInterval(showWaits, CLOCK_EVERY_MS);
  }

  // --- one chat --------------------------------------------------------------------------------

  function clock(iso) {
    return new Date(iso).toLocaleTimeString("da-DK", {hour: "2-digit", minute: "2-digit",
                                                       timeZone: "Europe/Copenhagen"});
  }

  function chatPage(root) {
    var list = document.getElementById("live-messages");
    var form = document.getElementById("live-send");
    var textarea = form.elements.text;
    var error = document.getElementById("live-send-error");
    var status = document.getElementById("live-status");
    var csrf = form.elements.csrf_token.value;
    var api = root.dataset.api;
    var authors = {resident: root.dataset.authorResident, staff: root.dataset.authorStaff};
    var lastTyping = 0;
    var over = false;
    var source = null;

    function append(message) {
      var id = Number(message.id);
      if (list.querySelector('li[data-id="' + id + '"]')) {
        return;  // the reply to a send and the stream both bring it
      }
      var item = document.createElement("li");
      item.className = "live-message " + (message.kind === "notice" ? "notice" : "from-" + message.kind);
      item.dataset.id = id;
      if (authors[message.kind]) {
        var author = document.createElement("p");
        author.className = "author";
        author.textContent = authors[message.kind] + " ";
        var time = document.createElement("time");
        time.dateTime = message.created_at;
        time.textContent = clock(message.created_at);
        author.appendChild(time);
        item.appendChild(author);
      }
      var text = document.createElement("p");
      text.className = "text";
      text.dir = "auto";
      text.textContent = message.text;
      item.appendChild(text);
      var later = Array.prototype.find.call(list.children, function (other) { return Number(other.dataset.id) > id; });
      list.insertBefore(item, later || null);
      list.scrollTop = list.scrollHeight;
    }

    function showError(message) {
      error.textContent = message;
      error.hidden = false;
      textarea.setAttribute("aria-invalid", "true");
    }

    function clearError() {
      error.textContent = "";
      error.hidden = true;
      textarea.removeAttribute("aria-invalid");
    }

    function showChat(chat) {
      status.textContent = chat.status_text;
      status.dataset.status = chat.status;
      var mine = chat.status === "taken" && chat.mine;
      root.querySelectorAll("#live-send textarea, #live-send button, #live-end").forEach(function (control) {
        control.disabled = !mine;
      });
      if (!mine) {
        over = true;  // ended, back in the queue or someone else's: nothing more to send or say
        if (source) {
          source.close();
        }
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      post(api + "/send", csrf, {text: textarea.value})
        .then(function (response) {
          return response.json().then(function (body) { return {ok: response.ok, body: body}; });
        })
        .then(function (answer) {
          if (answer.ok) {
            textarea.value = "";
            clearError();
            append(answer.body);
          } else {
            showError(answer.body.fejl);
          }
        })
        .catch(function () { showError(form.dataset.failed); })
        .then(function () { button.disabled = over; });
    });

    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.dispatchEvent(new Event("submit", {cancelable: true}));
        }
      }
    });

    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (!over && textarea.value.trim() && now - lastTyping >= TYPING_EVERY_MS) {
        lastTyping = now;
        post(api + "/typing", csrf).catch(function () {});
      }
    });

    list.scrollTop = list.scrollHeight;
    if (window.EventSource) {
      source = new EventSource(root.dataset.events);
      source.addEventListener("message", function (event) { append(JSON.parse(event.data)); });
      source.addEventListener("chat", function (event) { showChat(JSON.parse(event.data)); });
      watchStream(source);
    }
    window.setInterval(function () {
      if (!over) {
        post(api + "/seen", csrf).catch(function () {});
      }
    }, SEEN_EVERY_MS);
  }

  var queue = document.getElementById("live-queue");
  if (queue && window.EventSource) {
    queuePage(queue);
  }
  var chat = document.getElementById("live-chat");
  if (chat) {
    chatPage(chat);
  }
}());
