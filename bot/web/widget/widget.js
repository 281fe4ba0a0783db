/*
 * Køge Kommune chat widget.
 *
 * Embed with one tag (see docs/widget.md):
 *   <script src="https://WEB-APP/widget/widget.js" defer
 *           data-server-url="https://RASA-SERVER" data-title="Spørg om helhedsplanen"
 *           data-color="#005b8f" data-open="false"></script>
 *
 * Talks to Rasa's socketio channel (session_request / session_confirm /
 * user_uttered / bot_uttered) with the socket.io 4 client served beside this file.
 * Everything the bot sends is put on the page as text nodes; the only markup made
 * from it is links from a strict allow-list (https:, mailto:, tel:).
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || window.__koegeChatWidget) return; // one widget per page
  window.__koegeChatWidget = true;

  // --- Text, all in one place ------------------------------------------------
  var MAX_MESSAGE_LENGTH = 1000;
  // Whom to call when the chat cannot answer. The web app fills in the answer
  // data's fallback contact as it serves this file (bot/web/views.py).
  var CONTACT = {"name": "K\u00f8ge Kommune", "phone": "56 67 67 67"};
  // One table per language the assistant answers in; the widget speaks the
  // conversation's language (chosen in its menu, or the one the replies come in).
  var TEXTS = {
    da: {
      language: 'Dansk',
      chooseLanguage: 'Vælg sprog',
      launcherClosed: 'Chat med os',
      launcherOpen: 'Luk chat',
      close: 'Luk chatten',
      newConversation: 'Ny samtale',
      newConversationDone: 'Ny samtale startet.',
      conversation: 'Samtale',
      you: 'Du skrev: ',
      bot: 'Chatbotten skrev: ',
      replies: 'Svarmuligheder',
      typing: 'Chatbotten skriver',
      inputLabel: 'Skriv dit spørgsmål',
      placeholder: 'Skriv dit spørgsmål her',
      send: 'Send',
      privacy: 'Skriv ikke dit CPR-nummer eller andre personlige oplysninger.',
      privacyLink: 'Sådan passer vi på dine oplysninger',
      title: 'Spørg om helhedsplanen',
      welcome: 'Hej! Jeg er en chatbot. Jeg svarer på spørgsmål om Boligsocial Helhedsplan i Køge. ' +
        'Skriv dit spørgsmål, eller vælg et emne:',
      offline: 'Chatten har ingen forbindelse lige nu. Vi prøver igen automatisk. ' +
        'Haster det, så ring til {name} på {phone}.',
      backOnline: 'Forbindelsen er tilbage. Du kan skrive igen.',
      notSent: 'Beskeden er ikke sendt, fordi chatten ikke har forbindelse. ' +
        'Den bliver stående her, så du kan sende den, når forbindelsen er tilbage.',
      empty: 'Skriv dit spørgsmål, før du trykker på Send.',
      tooLong: 'Beskeden er for lang ({length} tegn). Skriv højst {limit} tegn.',
      noReply: 'Beklager, der kom ikke noget svar. Prøv igen om lidt, eller ring til {name} på {phone}.',
      newWindow: ' (åbner i et nyt vindue)',
      removed: '[fjernet]',
      // Payloads name intents in domain.yml (a test checks that they exist).
      welcomeReplies: [
        { title: 'Hvad er helhedsplanen?', payload: '/ask_plan' },
        { title: 'Hjælp til job', payload: '/ask_job_help' },
        { title: 'Familie og børn', payload: '/ask_family_support' },
        { title: 'Hvem kan jeg kontakte?', payload: '/ask_contact' }
      ]
    },
    en: {
      language: 'English',
      chooseLanguage: 'Choose language',
      launcherClosed: 'Chat with us',
      launcherOpen: 'Close chat',
      close: 'Close the chat',
      newConversation: 'New conversation',
      newConversationDone: 'New conversation started.',
      conversation: 'Conversation',
      you: 'You wrote: ',
      bot: 'The chatbot wrote: ',
      replies: 'Reply options',
      typing: 'The chatbot is typing',
      inputLabel: 'Write your question',
      placeholder: 'Write your question here',
      send: 'Send',
      privacy: 'Do not write your CPR number or other personal information.',
      privacyLink: 'How we protect your information',
      title: 'Ask about the Boligsocial Helhedsplan',
      welcome: 'Hi! I am a chatbot. I answer questions about Boligsocial Helhedsplan in Køge. ' +
        'Write your question, or choose a topic:',
      offline: 'The chat has no connection right now. We will try again automatically. ' +
        'If it is urgent, call {name} on {phone}.',
      backOnline: 'The connection is back. You can write again.',
      notSent: 'The message has not been sent, because the chat has no connection. ' +
        'It stays here, so you can send it when the connection is back.',
      empty: 'Write your question before you press Send.',
      tooLong: 'The message is too long ({length} characters). Write no more than {limit} characters.',
      noReply: 'Sorry, no answer came. Try again in a little while, or call {name} on {phone}.',
      newWindow: ' (opens in a new window)',
      removed: '[removed]',
      welcomeReplies: [
        { title: 'What is the Boligsocial Helhedsplan?', payload: '/ask_plan' },
        { title: 'Help getting a job', payload: '/ask_job_help' },
        { title: 'Family and children', payload: '/ask_family_support' },
        { title: 'Who can I contact?', payload: '/ask_contact' }
      ]
    }
  };
  var LANGUAGES = Object.keys(TEXTS);
  // The assistant's own payload for a language chosen in the menu (domain.yml: choose_language).
  function chooseLanguagePayload(code) { return '/choose_language{"language":"' + code + '"}'; }
  // A sentence of the current language, with {name}, {phone}, ... filled in.
  function say(key, values) {
    var all = { name: CONTACT.name, phone: CONTACT.phone, limit: MAX_MESSAGE_LENGTH };
    Object.keys(values || {}).forEach(function (k) { all[k] = values[k]; });
    return TEXT[key].replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(all, name) ? String(all[name]) : whole;
    });
  }
  var TEXT = TEXTS.da;

  var REPLY_TIMEOUT_MS = 20000;
  var SESSION_IDLE_MS = 60 * 60 * 1000; // as Rasa's session_expiration_time (60 min)
  var MAX_STORED_ENTRIES = 200;
  var MAX_SHOWN_LENGTH = 20000;
  var KEY = 'koege-chat:v1:';

  // --- Settings from the script tag ---------------------------------------
  var base = script.src.replace(/[^/]*$/, '');
  var config = {
    serverUrl: httpUrl(script.getAttribute('data-server-url')) ||
      location.protocol + '//' + location.hostname + ':5005',
    // A title given by the page stays in every language; without one, the language's own.
    title: (script.getAttribute('data-title') || '').trim(),
    // The widget's first language: data-language, else the page's own (lang="en"), else Danish.
    language: (script.getAttribute('data-language') || document.documentElement.lang || 'da').slice(0, 2).toLowerCase(),
    color: hexColour(script.getAttribute('data-color')) || '#005b8f',
    startOpen: script.getAttribute('data-open') === 'true'
  };

  function httpUrl(value) {
    try {
      var url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') ? url.origin : null;
    } catch (error) {
      return null;
    }
  }

  function hexColour(value) {
    var match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value || '').trim());
    if (!match) return null;
    var hex = match[1];
    return '#' + (hex.length === 3 ? hex.replace(/(.)/g, '$1$1') : hex).toLowerCase();
  }

  // Black or white, whichever contrasts more with the accent: one of them
  // always reaches 4.5:1, so any colour an editor picks stays readable.
  function textColourOn(hex) {
    function channel(i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
    var luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    return (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) ? '#ffffff' : '#000000';
  }

  // --- Storage (falls back to memory when the browser refuses) ------------
  function storageOr(name) {
    try {
      var storage = window[name];
      storage.setItem(KEY + 'probe', '1');
      storage.removeItem(KEY + 'probe');
      return storage;
    } catch (error) {
      var memory = {};
      return {
        getItem: function (k) { return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null; },
        setItem: function (k, v) { memory[k] = String(v); },
        removeItem: function (k) { delete memory[k]; }
      };
    }
  }

  function readJson(storage, key) {
    try { return JSON.parse(storage.getItem(key)); } catch (error) { return null; }
  }
  function writeJson(storage, key, value) {
    try { storage.setItem(key, JSON.stringify(value)); } catch (error) { /* full or refused: keep going */ }
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  var local = storageOr('localStorage');
  var perTab = storageOr('sessionStorage');
  // Names this tab across reloads and page changes: the tab that asked records the answer.
  var tabId = perTab.getItem(KEY + 'tab') || randomId();
  perTab.setItem(KEY + 'tab', tabId);

  // The session id survives reloads and page changes; after an hour without
  // activity a new conversation starts, as Rasa's own session would.
  // The conversation text is kept per tab only (sessionStorage): it survives a
  // reload and a page change in the tab and is gone when the tab is closed.
  function loadSession() {
    var stored = readJson(local, KEY + 'session');
    if (stored && typeof stored.id === 'string') {
      // Earlier versions kept the text in localStorage; it must not stay there.
      local.removeItem(KEY + 'history:' + stored.id);
    }
    if (stored && typeof stored.id === 'string' && /^[0-9a-f]{32}$/.test(stored.id) &&
        Date.now() - stored.lastActive < SESSION_IDLE_MS) {
      return stored;
    }
    if (stored && typeof stored.id === 'string') perTab.removeItem(KEY + 'history:' + stored.id);
    return saveSession(newSession());
  }
  // A new conversation keeps the language the resident was using.
  function newSession() {
    var language = (typeof session !== 'undefined' && session && session.language) || config.language;
    return { id: randomId(), lastActive: Date.now(), language: TEXTS[language] ? language : 'da' };
  }
  function saveSession(value) {
    writeJson(local, KEY + 'session', value);
    return value;
  }
  function historyKey() { return KEY + 'history:' + session.id; }

  function validEntry(entry) {
    return entry && (entry.who === 'user' || entry.who === 'bot') && typeof entry.text === 'string';
  }
  function loadHistory() {
    var stored = readJson(perTab, historyKey());
    return Array.isArray(stored) ? stored.filter(validEntry) : [];
  }

  // What a resident typed is stored masked: CPR numbers, long runs of digits
  // (phone, card and account numbers) and e-mail addresses never reach the
  // browser's storage. The server removes them too and says so.
  var STORED_MASK = new RegExp([
    '\\d{6}[ \\-\u2010-\u2015]?\\d{4}',
    '\\d(?:\\s?\\d){7,}',
    '[^\\s@,;:()<>"\']+@[^\\s@,;:()<>"\']+\\.[^\\s@,;:()<>"\']+'
  ].join('|'), 'g');
  function masked(entry) {
    if (entry.who !== 'user') return entry;
    var copy = {};
    Object.keys(entry).forEach(function (name) { copy[name] = entry[name]; });
    copy.text = entry.text.replace(STORED_MASK, TEXT.removed);
    return copy;
  }
  function saveHistory() {
    if (history.length > MAX_STORED_ENTRIES) history = history.slice(-MAX_STORED_ENTRIES);
    writeJson(perTab, historyKey(), history.map(masked));
    session.lastActive = Date.now();
    saveSession(session);
  }

  var session = loadSession();
  if (!TEXTS[session.language]) session.language = TEXTS[config.language] ? config.language : 'da';
  TEXT = TEXTS[session.language];
  var history = loadHistory();

  // --- Links from an allow-list -------------------------------------------
  // https URLs, e-mail addresses, Danish phone numbers, 112 and 114. Anything
  // else, javascript: and data: included, stays plain text.
  var LINKABLE = new RegExp([
    'https://[^\\s<>"\'`]+',
    '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}',
    '\\+45 ?\\d{2} ?\\d{2} ?\\d{2} ?\\d{2}',
    '\\d{2} \\d{2} \\d{2} \\d{2}',
    '\\d{2} \\d{3} \\d{3}',
    '\\d{8}',
    '\\b11[24]\\b'
  ].join('|'), 'g');

  function isDigit(ch) { return ch >= '0' && ch <= '9'; }

  function linkFor(found) {
    if (found.indexOf('https://') === 0) {
      try {
        var url = new URL(found);
        if (url.protocol === 'https:' && url.hostname && !url.username && !url.password) {
          return { href: url.href, external: true };
        }
      } catch (error) { /* not a URL after all */ }
      return null;
    }
    if (found.indexOf('@') > 0) return found.length <= 254 ? { href: 'mailto:' + found } : null;
    var digits = found.replace(/\D/g, '');
    if (digits.length === 3) return { href: 'tel:' + digits };
    if (digits.length === 10) return { href: 'tel:+' + digits };
    return { href: 'tel:+45' + digits };
  }

  function appendText(parent, text) {
    if (text) parent.appendChild(document.createTextNode(text));
  }

  function appendLinkified(parent, text) {
    var last = 0;
    var match;
    LINKABLE.lastIndex = 0;
    while ((match = LINKABLE.exec(text)) !== null) {
      var found = match[0];
      var start = match.index;
      if (found.indexOf('https://') === 0) found = found.replace(/[.,;:!?)\]}]+$/, '');
      var end = start + found.length;
      var link = (isDigit(text.charAt(start - 1)) || isDigit(text.charAt(end))) ? null : linkFor(found);
      if (!link) continue;
      appendText(parent, text.slice(last, start));
      var anchor = document.createElement('a');
      anchor.href = link.href;
      anchor.textContent = found;
      if (link.external) {
        anchor.target = '_blank';
        anchor.rel = 'noopener noreferrer';
        var hint = document.createElement('span');
        hint.className = 'visually-hidden';
        hint.textContent = TEXT.newWindow;
        anchor.appendChild(hint);
      }
      parent.appendChild(anchor);
      last = end;
      LINKABLE.lastIndex = end;
    }
    appendText(parent, text.slice(last));
  }

  // --- Building the widget ------------------------------------------------
  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  var host = el('div', { id: 'koege-chat', 'data-state': 'loading' });
  host.style.setProperty('--kc-accent', config.color);
  host.style.setProperty('--kc-on-accent', textColourOn(config.color));
  var shadow = host.attachShadow({ mode: 'open' });
  var stylesheet = el('link', { rel: 'stylesheet', href: base + 'widget.css' });
  var root = el('div', { class: 'root', hidden: '' });

  var launcher = el('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'kc-panel' });
  var svgNs = 'http://www.w3.org/2000/svg';
  var icon = document.createElementNS(svgNs, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  icon.setAttribute('focusable', 'false');
  var iconPath = document.createElementNS(svgNs, 'path');
  iconPath.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z');
  icon.appendChild(iconPath);
  var launcherText = el('span');
  launcher.appendChild(icon);
  launcher.appendChild(launcherText);

  var panel = el('section', { id: 'kc-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'kc-title', hidden: '' });
  var header = el('div', { class: 'header' });
  var title = el('h2', { id: 'kc-title', class: 'title' });
  var languageLabel = el('label', { for: 'kc-language', class: 'visually-hidden' });
  var languageMenu = el('select', { id: 'kc-language', class: 'language' });
  LANGUAGES.forEach(function (code) {
    languageMenu.appendChild(el('option', { value: code, lang: code }, TEXTS[code].language));
  });
  var newButton = el('button', { type: 'button', class: 'new' });
  var closeButton = el('button', { type: 'button', class: 'close' }, '×');
  header.appendChild(title);
  header.appendChild(languageLabel);
  header.appendChild(languageMenu);
  header.appendChild(newButton);
  header.appendChild(closeButton);

  var notice = el('p', { class: 'notice', role: 'alert' });
  notice.hidden = true;
  var log = el('div', { class: 'messages', role: 'log', 'aria-live': 'polite', tabindex: '0' });
  var typing = el('p', { class: 'typing', hidden: '' });
  var dots = el('span', { class: 'dots', 'aria-hidden': 'true' });
  dots.appendChild(el('span'));
  dots.appendChild(el('span'));
  dots.appendChild(el('span'));
  typing.appendChild(dots);
  var typingText = el('span');
  typing.appendChild(typingText);
  var status = el('p', { class: 'visually-hidden', role: 'status' });
  // While the resident waits for, or writes with, a staff member: "Du er nr. 2 i køen".
  var liveLine = el('p', { class: 'live-status', role: 'status', hidden: '' });

  var form = el('form', { class: 'composer', novalidate: '' });
  var label = el('label', { for: 'kc-input', class: 'visually-hidden' });
  var row = el('div', { class: 'composer-row' });
  var input = el('input', {
    id: 'kc-input', type: 'text', autocomplete: 'off', enterkeyhint: 'send',
    // Arabic, Farsi and Urdu are typed right to left.
    dir: 'auto', 'aria-describedby': 'kc-privacy'
  });
  var sendButton = el('button', { type: 'submit', class: 'send' });
  var inputError = el('p', { id: 'kc-input-error', class: 'input-error', hidden: '' });
  var privacy = el('p', { id: 'kc-privacy', class: 'privacy' });
  var privacyText = el('span');
  // The privacy page is served by the web app beside the widget's own files.
  var privacyLink = el('a', { href: new URL('../privatliv', base).href, target: '_blank', rel: 'noopener noreferrer' });
  var privacyLinkText = el('span');
  var privacyLinkHint = el('span', { class: 'visually-hidden' });
  privacyLink.appendChild(privacyLinkText);
  privacyLink.appendChild(privacyLinkHint);
  privacy.appendChild(privacyText);
  privacy.appendChild(privacyLink);
  row.appendChild(input);
  row.appendChild(sendButton);
  form.appendChild(label);
  form.appendChild(row);
  form.appendChild(inputError);
  form.appendChild(privacy);

  panel.appendChild(header);
  panel.appendChild(notice);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(status);
  panel.appendChild(liveLine);
  panel.appendChild(form);
  root.appendChild(launcher);
  root.appendChild(panel);
  shadow.appendChild(stylesheet);
  shadow.appendChild(root);

  // Every text of the widget itself, in the conversation's language.
  function applyTexts() {
    root.setAttribute('lang', session.language);
    launcherText.textContent = panel.hidden ? TEXT.launcherClosed : TEXT.launcherOpen;
    title.textContent = config.title || TEXT.title;
    languageLabel.textContent = TEXT.chooseLanguage;
    languageMenu.value = session.language;
    newButton.textContent = TEXT.newConversation;
    closeButton.setAttribute('aria-label', TEXT.close);
    log.setAttribute('aria-label', TEXT.conversation);
    typingText.textContent = TEXT.typing;
    label.textContent = TEXT.inputLabel;
    input.setAttribute('placeholder', TEXT.placeholder);
    sendButton.textContent = TEXT.send;
    privacyText.textContent = TEXT.privacy + ' ';
    privacyLinkText.textContent = TEXT.privacyLink;
    privacyLinkHint.textContent = TEXT.newWindow;
  }

  // The widget follows the conversation's language; chosen in the menu, the assistant is told.
  function useLanguage(code, chosen) {
    if (!TEXTS[code] || (code === session.language && !chosen)) return;
    session.language = code;
    TEXT = TEXTS[code];
    saveSession(session);
    applyTexts();
    if (chosen) send(chooseLanguagePayload(code), TEXTS[code].language);
  }
  languageMenu.addEventListener('change', function () { useLanguage(languageMenu.value, true); });

  // --- Rendering messages -------------------------------------------------
  function asText(value) {
    if (typeof value !== 'string') return '';
    return value.length > MAX_SHOWN_LENGTH ? value.slice(0, MAX_SHOWN_LENGTH) + ' …' : value;
  }

  function cleanButtons(buttons) {
    if (!Array.isArray(buttons)) return [];
    return buttons.filter(function (b) {
      return b && typeof b.title === 'string' && b.title.trim() && typeof b.payload === 'string';
    }).slice(0, 10).map(function (b) {
      return { title: asText(b.title).slice(0, 200), payload: b.payload.slice(0, MAX_MESSAGE_LENGTH) };
    });
  }

  function renderEntry(entry, withButtons) {
    var item = el('div', { class: 'message from-' + entry.who + (entry.problem ? ' is-problem' : '') });
    // Language of parts (WCAG 3.1.2): each message its language and direction.
    if (entry.lang) item.setAttribute('lang', entry.lang);
    var bubble = el('div', { class: 'bubble', dir: entry.dir || 'auto' });
    // A staff member's message says who wrote it; the assistant's say "Chatbotten" to screen readers.
    if (entry.from) item.appendChild(el('p', { class: 'from', dir: 'auto' }, entry.from));
    else bubble.appendChild(el('span', { class: 'visually-hidden' }, entry.who === 'user' ? TEXT.you : TEXT.bot));
    if (entry.who === 'bot') appendLinkified(bubble, entry.text);
    else appendText(bubble, entry.text);
    item.appendChild(bubble);
    if (withButtons && entry.buttons && entry.buttons.length) {
      var replies = el('ul', { class: 'replies', 'aria-label': TEXT.replies, dir: entry.dir || 'auto' });
      entry.buttons.forEach(function (button) {
        var choice = el('li');
        var control = el('button', { type: 'button' }, button.title);
        control.addEventListener('click', function () { chooseReply(button); });
        choice.appendChild(control);
        replies.appendChild(choice);
      });
      item.appendChild(replies);
    }
    return item;
  }

  // Buttons stay only on the newest bot message: older choices are out of date.
  function renderAll() {
    log.setAttribute('aria-busy', 'true'); // a restore is not news to a screen reader
    while (log.firstChild) log.removeChild(log.firstChild);
    history.forEach(function (entry, index) {
      log.appendChild(renderEntry(entry, index === history.length - 1));
    });
    log.removeAttribute('aria-busy');
    scrollToEnd();
  }

  function addEntry(entry) {
    var previous = log.lastElementChild;
    var oldReplies = previous && previous.querySelector('.replies');
    if (oldReplies) {
      var hadFocus = oldReplies.contains(shadow.activeElement);
      oldReplies.remove();
      if (hadFocus) input.focus();
    }
    history.forEach(function (old) { delete old.buttons; });
    history.push(entry);
    saveHistory();
    log.appendChild(renderEntry(entry, true));
    scrollToEnd();
  }

  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  function ensureWelcome() {
    if (history.length === 0) {
      history.push({ who: 'bot', text: TEXT.welcome, buttons: TEXT.welcomeReplies, lang: session.language, dir: 'ltr' });
      saveHistory();
    }
  }

  // --- Connection to Rasa's socketio channel ------------------------------
  var socket = null;
  var confirmed = false;
  var wasOffline = false;
  var replyTimer = null;

  function setState(state) { host.setAttribute('data-state', state); }

  function loadClient(then) {
    if (loadClient.io) return then(loadClient.io);
    var previous = window.io; // leave the page's own socket.io, if any, as it was
    var tag = document.createElement('script');
    tag.src = base + 'socket.io.min.js';
    tag.async = true;
    tag.onload = function () {
      loadClient.io = window.io;
      if (previous) window.io = previous;
      then(loadClient.io);
    };
    tag.onerror = function () { showOffline(); setTimeout(function () { tag.remove(); loadClient(then); }, 5000); };
    document.head.appendChild(tag);
  }

  function connect() {
    if (socket) return;
    setState('connecting');
    loadClient(function (io) {
      if (socket) return;
      // WebSocket first: one connection stays on one server process, so several Rasa
      // workers or servers need no sticky sessions. Long-polling only where WebSocket is blocked.
      socket = io(config.serverUrl, {
        path: '/socket.io', transports: ['websocket', 'polling'], tryAllTransports: true,
        reconnectionDelayMax: 5000, timeout: 10000
      });
      socket.on('connect', function () {
        socket.emit('session_request', { session_id: session.id });
      });
      socket.on('session_confirm', function (data) {
        var id = typeof data === 'string' ? data : (data && data.session_id);
        if (id !== session.id) return; // an answer to an earlier request
        confirmed = true;
        notice.hidden = true;
        setState('ready');
        performance.mark('koege-chat:connected');
        if (wasOffline) {
          wasOffline = false;
          announce(TEXT.backOnline);
          hideInputError();
        }
      });
      socket.on('bot_uttered', function (message) {
        try { receive(message); } catch (error) { /* one odd message must not stop the chat */ }
      });
      socket.on('live_status', function (data) {
        try { showLiveStatus(data); } catch (error) { /* as above */ }
      });
      socket.on('live_typing', function (data) {
        try { showStaffTyping(data); } catch (error) { /* as above */ }
      });
      socket.on('disconnect', function (reason) {
        confirmed = false;
        if (reason === 'io client disconnect') return; // our own reconnect ("Ny samtale")
        if (reason === 'io server disconnect') socket.connect();
        showOffline();
      });
      socket.on('connect_error', showOffline);
    });
  }

  function showOffline() {
    confirmed = false;
    wasOffline = true;
    stopWaiting();
    setState('offline');
    if (!notice.hidden) return;
    notice.hidden = false;
    while (notice.firstChild) notice.removeChild(notice.firstChild);
    appendLinkified(notice, say('offline'));
  }

  // A message from the server, in Rasa's socketio shape: {text, quick_replies
  // or buttons} or {attachment}. Anything else is ignored.
  function receive(message) {
    if (!message || typeof message !== 'object') return;
    // The tab that asked records the answer; a staff member's message or a live chat
    // notice answers nothing, so every tab of the conversation shows it.
    var live = message.live && typeof message.live === 'object';
    if (!live && local.getItem(KEY + 'sender') !== tabId) return;
    var text = asText(message.text);
    var buttons = cleanButtons(message.quick_replies || message.buttons);
    if (!text && message.attachment && message.attachment.payload) {
      text = asText(message.attachment.payload.src || message.attachment.payload.url);
    }
    if (!text && !buttons.length) return;
    stopWaiting();
    var lang = typeof message.lang === 'string' && /^[a-z]{2}$/.test(message.lang) ? message.lang : null;
    var dir = message.dir === 'rtl' || message.dir === 'ltr' ? message.dir : 'auto';
    if (lang) {
      // The resident's message is in the language the reply came in ("ok" included).
      var asked = history[history.length - 1];
      var askedNode = log.lastElementChild;
      if (asked && asked.who === 'user' && !asked.lang) {
        asked.lang = lang;
        if (askedNode) askedNode.setAttribute('lang', lang);
      }
      useLanguage(lang, false);
    }
    var from = message.live && asText(message.live.from);
    addEntry({ who: 'bot', text: text, buttons: buttons, lang: lang || undefined, dir: dir, from: from || undefined });
    performance.mark('koege-chat:answer-shown');
  }

  function send(message, shownAs) {
    if (!socket || !confirmed) {
      showInputError(TEXT.notSent);
      return false;
    }
    local.setItem(KEY + 'sender', tabId);
    socket.emit('user_uttered', { message: message, session_id: session.id });
    addEntry({ who: 'user', text: shownAs });
    // A staff member answers when they can: no "no answer" after the usual wait.
    if (liveState !== 'taken') startWaiting();
    return true;
  }

  function startWaiting() {
    typing.hidden = false;
    scrollToEnd();
    clearTimeout(replyTimer);
    replyTimer = setTimeout(function () {
      stopWaiting();
      addEntry({ who: 'bot', text: say('noReply'), problem: true, lang: session.language, dir: 'ltr' });
    }, REPLY_TIMEOUT_MS);
  }

  function stopWaiting() {
    clearTimeout(replyTimer);
    clearTimeout(staffTypingTimer);
    typing.hidden = true;
    typingText.textContent = TEXT.typing;
  }

  // --- Writing with a staff member (the live chat) -------------------------
  // liveState: '' (the assistant answers), 'waiting' (in the queue) or 'taken'.
  var liveState = '';
  var staffTypingTimer = null;
  var STAFF_TYPING_MS = 6000;

  function showLiveStatus(data) {
    if (!data || typeof data !== 'object') return;
    var text = asText(data.text);
    liveState = data.state === 'waiting' || data.state === 'taken' ? data.state : '';
    liveLine.textContent = text;
    liveLine.hidden = !text;
    if (liveState === 'taken') stopWaiting();
  }

  function showStaffTyping(data) {
    if (!data || typeof data !== 'object' || liveState !== 'taken') return;
    clearTimeout(replyTimer);
    typingText.textContent = asText(data.text) || TEXT.typing;
    typing.hidden = false;
    scrollToEnd();
    clearTimeout(staffTypingTimer);
    staffTypingTimer = setTimeout(stopWaiting, STAFF_TYPING_MS);
  }

  // --- What the resident does --------------------------------------------
  function announce(text) {
    status.textContent = '';
    setTimeout(function () { status.textContent = text; }, 50);
  }

  function showInputError(text) {
    inputError.textContent = text;
    inputError.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'kc-input-error kc-privacy');
    input.focus();
  }

  function hideInputError() {
    inputError.hidden = true;
    inputError.textContent = '';
    input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', 'kc-privacy');
  }

  function chooseReply(button) {
    if (send(button.payload, button.title)) input.focus();
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return showInputError(TEXT.empty);
    if (text.length > MAX_MESSAGE_LENGTH) return showInputError(say('tooLong', { length: text.length }));
    if (send(text, text)) {
      input.value = '';
      perTab.removeItem(KEY + 'draft');
      hideInputError();
    }
  });

  // What is typed survives a reload, a page change and a lost connection.
  input.addEventListener('input', function () {
    perTab.setItem(KEY + 'draft', input.value);
    if (!inputError.hidden && input.value.trim()) hideInputError();
  });

  function setOpen(open, byUser) {
    panel.hidden = !open;
    host.classList.toggle('is-open', open);
    launcher.setAttribute('aria-expanded', String(open));
    launcherText.textContent = open ? TEXT.launcherOpen : TEXT.launcherClosed;
    perTab.setItem(KEY + 'open', open ? '1' : '0');
    if (open) {
      ensureWelcome();
      renderAll();
      connect();
      if (byUser) input.focus();
    } else if (byUser) {
      launcher.focus();
    }
  }

  launcher.addEventListener('click', function () { setOpen(panel.hidden, true); });
  closeButton.addEventListener('click', function () { setOpen(false, true); });
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') { event.stopPropagation(); setOpen(false, true); }
  });

  newButton.addEventListener('click', function () {
    // A queue place or a staff member's chat of the old conversation ends with it
    // ("/stop" at the server), so staff do not write into nothing.
    if (liveState && socket && confirmed) {
      socket.emit('user_uttered', { message: '/stop', session_id: session.id });
    }
    showLiveStatus({ state: '', text: '' });
    perTab.removeItem(historyKey());
    session = saveSession(newSession());
    history = [];
    stopWaiting();
    hideInputError();
    ensureWelcome();
    renderAll();
    if (socket) {
      // A new socket id leaves the old conversation's room behind.
      confirmed = false;
      setState('connecting');
      socket.disconnect();
      socket.connect();
    }
    announce(TEXT.newConversationDone);
    input.focus();
  });

  // Another tab of the same site started a new conversation: follow it.
  window.addEventListener('storage', function (event) {
    if (event.key === KEY + 'session') {
      var changed = readJson(local, KEY + 'session');
      if (changed && changed.id !== session.id) {
        session = changed;
        showLiveStatus({ state: '', text: '' });
        if (!TEXTS[session.language]) session.language = 'da';
        TEXT = TEXTS[session.language];
        applyTexts();
        history = loadHistory();
        ensureWelcome();
        if (!panel.hidden) renderAll();
        if (socket) { confirmed = false; setState('connecting'); socket.disconnect(); socket.connect(); }
      }
    }
  });

  // --- Start ---------------------------------------------------------------
  function start() {
    applyTexts();
    input.value = perTab.getItem(KEY + 'draft') || '';
    var remembered = perTab.getItem(KEY + 'open');
    document.body.appendChild(host);
    stylesheet.addEventListener('load', reveal);
    stylesheet.addEventListener('error', reveal);
    if (remembered === '1' || (remembered === null && config.startOpen)) setOpen(true, false);
    else setState('closed');
  }

  function reveal() {
    root.hidden = false;
    performance.mark('koege-chat:launcher-ready');
    host.setAttribute('data-launcher', 'ready');
  }

  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
