// The sandbox page: every click is a POST to the sandbox's server, which does it through the
// same engine as the terminal and answers with the parts of the page that changed; a poll
// fetches what changed meanwhile (Mutual's scheduled messages, retries after a fault).
// Everything drawn comes from the server, already escaped; this script only moves it into place
// and never builds HTML from text.
"use strict";
(() => {
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  const POLL_MS = 1000;
  const drawn = {};
  let version = document.body.dataset.version;
  let busy = 0;
  const completion = JSON.parse(document.body.dataset.completion || "{}");

  // -- talking to the server ----------------------------------------------------------------
  async function post(url, params) {
    busy += 1;
    document.body.classList.add("busy");
    try {
      const answer = await fetch(url, { method: "POST", body: params, credentials: "same-origin" });
      if (!answer.ok) {
        trouble(await answer.text());
        return false;
      }
      const data = await answer.json();
      apply(data);
      return data.ok;
    } catch (e) {
      trouble("The sandbox isn't answering. Is `mutual sandbox --web` still running?");
      return false;
    } finally {
      busy -= 1;
      if (!busy) document.body.classList.remove("busy");
    }
  }

  async function poll() {
    if (busy) return;
    try {
      const answer = await fetch("/regions?since=" + encodeURIComponent(version), { credentials: "same-origin" });
      if (answer.status === 200 && !busy) apply(await answer.json());
      if (answer.ok) hideTrouble();
    } catch (e) {
      trouble("The sandbox isn't answering. Is `mutual sandbox --web` still running?");
    }
  }

  function trouble(text) {
    const box = $("#trouble");
    box.textContent = text;
    box.hidden = false;
  }

  function hideTrouble() { $("#trouble").hidden = true; }

  // -- putting the answer in place, keeping what is being typed ----------------------------
  function apply(data) {
    version = data.version;
    document.body.dataset.version = version;
    for (const [name, html] of Object.entries(data.regions || {})) {
      if (drawn[name] === html || (name === "modal" && sameModal(html))) continue;
      drawn[name] = html;
      replace(name, html);
    }
  }

  // The modal the person is filling in is left alone unless Mutual changed it (its key).
  function sameModal(html) {
    const open = $("#modal-form");
    const key = /data-modal="([^"]*)"/.exec(html);
    return Boolean(open && key && open.dataset.modal === key[1]);
  }

  function replace(name, html) {
    const region = document.getElementById(name);
    const typed = {};
    for (const field of $$("textarea[name], input[name]:not([type=checkbox]):not([type=radio])", region)) {
      const owner = field.closest("[data-n]");
      typed[(owner ? owner.dataset.n : "") + ":" + field.name] = field.value;
    }
    const messages = $("#messages", region);
    const before = messages ? { id: messages.dataset.conversation, atEnd: nearEnd(messages) } : null;
    const openMenus = $$("details[open]", region).map(d => d.className);
    region.innerHTML = html;  // drawn by the server, every text escaped there
    if (name === "main") {
      for (const field of $$("[data-n] textarea[name], [data-n] input[name]", region)) {
        const key = field.closest("[data-n]").dataset.n + ":" + field.name;
        if (key in typed && field.type !== "checkbox" && field.type !== "radio") field.value = typed[key];
      }
      const after = $("#messages", region);
      if (after && (!before || before.id !== after.dataset.conversation || before.atEnd)) after.scrollTop = after.scrollHeight;
      composerFor($(".main-head", region));
    }
    if (name === "modal") {
      const first = $(".modal input:not([type=hidden]), .modal textarea, .modal select", region);
      if (first && !region.contains(document.activeElement)) first.focus();
    }
    if (name === "top") {
      for (const details of $$("details", region)) if (openMenus.includes(details.className)) details.open = true;
    }
  }

  // The message box writes in the open conversation; a Home tab has none, as in Slack.
  function composerFor(head) {
    if (!head) return;
    $("#message-box").placeholder = head.dataset.placeholder;
    $("#composer").hidden = head.dataset.home === "yes";
  }

  function nearEnd(box) { return box.scrollHeight - box.scrollTop - box.clientHeight < 80; }

  // -- what a click sends --------------------------------------------------------------------
  function paramsOf(element) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(element.dataset)) {
      if (key !== "post" && !key.startsWith("confirm")) params.append(key, value);
    }
    return params;
  }

  // The boxes a modal (or a message) holds, as `f<n>` fields: what Slack puts in state.values.
  function inputsOf(surface, params) {
    for (const field of $$("[name^=f]", surface)) {
      if (!/^f\d+$/.test(field.name)) continue;
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) continue;
      if (field.tagName === "SELECT") {
        for (const option of field.selectedOptions) params.append(field.name, option.value);
      } else {
        params.append(field.name, field.value);
      }
    }
    return params;
  }

  function act(element, options) {
    const surface = element.closest("[data-surface]");
    if (!surface) return;
    const params = new URLSearchParams({ surface: surface.dataset.surface, at: element.dataset.at,
                                         key: surface.dataset.key || "", n: surface.dataset.n || "" });
    for (const value of options) params.append("option", value);
    inputsOf(surface, params);
    confirmFirst(element).then(yes => { if (yes) post("/press", params); });
  }

  function confirmFirst(element) {
    if (!element.dataset.confirmTitle && !element.dataset.confirmText) return Promise.resolve(true);
    const dialog = $("#confirm");
    $(".confirm-title", dialog).textContent = element.dataset.confirmTitle;
    $(".confirm-text", dialog).textContent = element.dataset.confirmText;
    $(".confirm-yes", dialog).textContent = element.dataset.confirmYes;
    $(".confirm-no", dialog).textContent = element.dataset.confirmNo;
    $(".confirm-yes", dialog).classList.toggle("danger", element.dataset.confirmStyle === "danger");
    return new Promise(resolve => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true });
      dialog.showModal();
    });
  }

  // -- clicks ------------------------------------------------------------------------------
  document.addEventListener("click", event => {
    const target = event.target.closest("button, summary, [data-react], [data-emoji], [data-shortcut]");
    closePopovers(target);
    if (!target || target.disabled) return;
    if (target.dataset.post && target.tagName === "BUTTON") {
      event.preventDefault();
      for (const details of $$("details[open]")) if (details.contains(target)) details.open = false;
      post(target.dataset.post, paramsOf(target));
    } else if (target.dataset.at && target.tagName === "BUTTON") {
      event.preventDefault();
      const option = target.dataset.option;
      for (const details of $$("details[open]")) if (details.contains(target)) details.open = false;
      act(target, option === undefined ? [] : [option]);
    } else if (target.dataset.react) {
      post("/react", new URLSearchParams({ n: target.closest("[data-n]").dataset.n, emoji: target.dataset.react }));
    } else if ("pickReaction" in target.dataset) {
      openPopover(target, "#reaction-picker");
    } else if ("messageMenu" in target.dataset) {
      openPopover(target, "#message-menu");
    } else if (target.dataset.emoji) {
      post("/react", new URLSearchParams({ n: target.closest("[data-n]").dataset.n, emoji: target.dataset.emoji }));
    } else if (target.dataset.shortcut) {
      post("/shortcut", new URLSearchParams({ name: target.dataset.shortcut, n: target.closest("[data-n]").dataset.n }));
    }
  });

  function openPopover(button, templateId) {
    const message = button.closest(".msg");
    const popover = $(templateId).content.firstElementChild.cloneNode(true);
    message.classList.add("tools-open");
    message.appendChild(popover);
  }

  function closePopovers(target) {
    for (const popover of $$(".msg > .popover")) {
      if (target && popover.contains(target)) continue;
      popover.parentElement.classList.remove("tools-open");
      popover.remove();
    }
    for (const details of $$("details[open]")) if (!target || !details.contains(target)) details.open = false;
  }

  // Menus, pickers and choice lists in messages, the Home tab or a modal send as they change.
  document.addEventListener("change", event => {
    const field = event.target;
    if (!field.dataset || !field.dataset.at) return;
    if (field.tagName === "SELECT") {
      act(field, Array.from(field.selectedOptions).map(o => o.value).filter(v => v));
    } else if (field.type === "checkbox" || field.type === "radio") {
      const group = $$(`input[data-at="${CSS.escape(field.dataset.at)}"]`, field.closest("[data-surface]"));
      act(field, group.filter(i => i.checked).map(i => i.value));
    } else {
      act(field, [field.value]);
    }
  });

  document.addEventListener("submit", event => {
    const form = event.target;
    event.preventDefault();
    if (form.id === "composer") return send();
    if (form.id === "modal-form") {
      if (!form.reportValidity()) return;
      return post("/modal/submit", inputsOf(form, new URLSearchParams()));
    }
    if (form.dataset.post) {
      for (const details of $$("details[open]")) if (details.contains(form)) details.open = false;
      post(form.dataset.post, new URLSearchParams(new FormData(form)));
    }
  });

  // -- the message box, with / and @ completion ------------------------------------------
  const box = $("#message-box");
  const list = $("#complete");
  let choices = [];
  let chosen = 0;

  async function send() {
    const text = box.value.trim();
    if (!text) return;
    hideComplete();
    if (await post("/send", new URLSearchParams({ text }))) box.value = "";
    grow();
  }

  function grow() {
    box.style.height = "auto";
    box.style.height = Math.min(box.scrollHeight, 200) + "px";
  }

  function currentWord() {
    const before = box.value.slice(0, box.selectionStart);
    const command = /^\/(\w*)$/.exec(before);
    if (command) return { kind: "command", word: command[1], start: 0 };
    const mention = /(^|\s)@([\w.-]*)$/.exec(before);
    if (mention) return { kind: "person", word: mention[2], start: before.length - mention[2].length - 1 };
    return null;
  }

  function suggest() {
    const at = currentWord();
    if (!at) return hideComplete();
    const word = at.word.toLowerCase();
    if (at.kind === "command") {
      choices = (completion.commands || []).filter(c => c.command.slice(1).startsWith(word))
        .map(c => ({ insert: c.command + " ", label: c.command + " " + c.usage, hint: c.description, start: 0 }));
    } else {
      choices = (completion.people || []).filter(p => p.handle.startsWith(word) || p.name.toLowerCase().includes(word))
        .map(p => ({ insert: "@" + p.handle + " ", label: "@" + p.handle, hint: p.name, start: at.start }));
    }
    if (!choices.length) return hideComplete();
    chosen = 0;
    list.replaceChildren(...choices.map((choice, i) => {
      const item = document.createElement("li");
      item.setAttribute("role", "option");
      item.dataset.index = i;
      const label = document.createElement("span");
      label.textContent = choice.label;
      const hint = document.createElement("small");
      hint.textContent = choice.hint;
      item.append(label, hint);
      return item;
    }));
    highlight();
    list.hidden = false;
  }

  function highlight() {
    $$("li", list).forEach((item, i) => item.classList.toggle("active", i === chosen));
  }

  function hideComplete() { list.hidden = true; choices = []; }

  function take(index) {
    const choice = choices[index];
    if (!choice) return;
    const after = box.value.slice(box.selectionStart);
    const start = choice.start;
    box.value = box.value.slice(0, start) + choice.insert + after.replace(/^\S*/, "");
    const caret = start + choice.insert.length;
    box.setSelectionRange(caret, caret);
    hideComplete();
    box.focus();
  }

  box.addEventListener("input", () => { grow(); suggest(); });
  box.addEventListener("keydown", event => {
    if (!list.hidden && choices.length) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        chosen = (chosen + (event.key === "ArrowDown" ? 1 : choices.length - 1)) % choices.length;
        highlight();
        event.preventDefault();
        return;
      }
      if (event.key === "Tab" || event.key === "Enter") {
        take(chosen);
        event.preventDefault();
        return;
      }
      if (event.key === "Escape") { hideComplete(); event.preventDefault(); return; }
    }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  });
  list.addEventListener("mousedown", event => {
    const item = event.target.closest("li");
    if (item) { event.preventDefault(); take(Number(item.dataset.index)); }
  });

  // Escape closes an open menu first, then the modal (every view of it), as in Slack.
  document.addEventListener("keydown", event => {
    if (event.key !== "Escape" || event.defaultPrevented || !list.hidden || $("#confirm").open) return;
    if ($$("details[open], .msg > .popover").length) return closePopovers(null);
    if ($("#modal-form")) post("/modal/close", new URLSearchParams());
  });

  // -- start ---------------------------------------------------------------------------------
  for (const name of ["top", "sidebar", "main", "modal", "notes"]) drawn[name] = null;
  const messages = $("#messages");
  if (messages) messages.scrollTop = messages.scrollHeight;
  composerFor($(".main-head"));
  setInterval(poll, POLL_MS);
})();
