// SPDX-License-Identifier: EUPL-1.2
// Offline registration (docs/DAY.md, "offline"): the service worker, the registrations
// that wait on the device (IndexedDB, each with a random idempotency key) and their
// sending to POST /registreren/sync when the connection is back and on every page load.
// A registration is removed from the device only after the server confirmed it; one the
// server refuses stays, with its message, to be changed in the form or discarded.
(() => {
  'use strict';
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
  }
  if (!('indexedDB' in window)) return;

  // ---- the store (the same as sw.js) ----
  const openQueue = () =>
    new Promise((resolve, reject) => {
      const req = indexedDB.open('bereik-offline', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('queue', { keyPath: 'key' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const withStore = async (mode, fn) => {
    const db = await openQueue();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction('queue', mode);
        const result = fn(tx.objectStore('queue'));
        tx.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
        tx.onerror = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  };
  const all = () => withStore('readonly', (s) => s.getAll());
  const put = (item) => withStore('readwrite', (s) => s.put(item));
  const drop = (key) => withStore('readwrite', (s) => s.delete(key));
  const newKey = () =>
    window.crypto && crypto.randomUUID
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

  const bar = document.getElementById('offline-bar');
  const words = bar ? bar.dataset : {};
  const form = document.querySelector('form.register[action="/registreren"]');
  let editing = null; // the key of the waiting registration open in the form

  const value = (fields, name) => (fields.find(([k]) => k === name) || [])[1] || '';
  const dateText = (iso) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return m ? `${m[3]}/${m[2]}/${m[1]}` : words.noDate || '';
  };
  // a duration as the app shows it (1u30) when it is minutes or hours and minutes; else as typed
  const durationText = (typed) => {
    const t = (typed || '').trim();
    let m = /^(\d{1,4})$/.exec(t);
    if (m) return `${Math.floor(m[1] / 60)}u${String(m[1] % 60).padStart(2, '0')}`;
    m = /^(\d{1,2})[uUhH:](\d{2})?$/.exec(t);
    if (m) return `${Number(m[1])}u${m[2] || '00'}`;
    return t;
  };
  // the name of a code as the form's list shows it (the line's name rather than P1)
  const optionText = (name, code) => {
    const o = form && code ? form.querySelector(`select[name="${name}"] option[value="${CSS.escape(code)}"]`) : null;
    return o ? o.textContent : code;
  };
  const say = (text) => {
    const status = document.getElementById('offline-status');
    if (status) status.textContent = text;
    const section = document.getElementById('wachtrij');
    if (section && text) section.hidden = false;
  };

  // ---- the count in the header and the list on Registreren ----
  async function show() {
    let items = [];
    try {
      items = await all();
    } catch {
      return;
    }
    items.sort((a, b) => a.created - b.created);
    const count = document.getElementById('offline-waiting');
    if (count) {
      count.hidden = items.length === 0;
      count.textContent =
        items.length === 1 ? words.waitingOne || '1' : (words.waitingMany || '{n}').replace('{n}', items.length);
    }
    const list = document.getElementById('offline-list');
    if (!list) return;
    const section = document.getElementById('wachtrij');
    section.hidden = items.length === 0 && !document.getElementById('offline-status').textContent;
    list.replaceChildren();
    for (const item of items) {
      const li = document.createElement('li');
      li.className = `queued ${item.state}`;
      li.dataset.key = item.key;
      const head = document.createElement('p');
      const what = [
        dateText(value(item.fields, 'date')),
        durationText(value(item.fields, 'duration')),
        optionText('line', value(item.fields, 'line')),
      ];
      const inst = value(item.fields, 'institutions');
      if (inst) what.push(inst);
      const strong = document.createElement('strong');
      strong.textContent = what.filter(Boolean).join(' · ');
      const state = document.createElement('span');
      state.className = 'state';
      state.textContent = item.state === 'refused' ? words.stateRefused : words.stateWaiting;
      head.append(strong, ' ', state);
      li.append(head);
      if (item.state === 'refused') {
        const msgs = document.createElement('ul');
        msgs.className = 'error';
        for (const p of item.problems && item.problems.length ? item.problems : [{ message: item.message }]) {
          const m = document.createElement('li');
          m.textContent = p.message;
          msgs.append(m);
        }
        li.append(msgs);
      }
      const actions = document.createElement('div');
      actions.className = 'actions';
      const button = (text, cls, fn) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = cls;
        b.textContent = text;
        b.addEventListener('click', fn);
        actions.append(b);
      };
      if (form) button(words.open, 'open', () => openInForm(item));
      if (item.state === 'refused')
        button(words.send, 'send', async () => {
          item.state = 'waiting';
          await put(item);
          await sync();
        });
      button(words.discard, 'discard', async () => {
        if (!window.confirm(words.discardConfirm)) return;
        await drop(item.key);
        if (editing === item.key) editing = null;
        await show();
      });
      li.append(actions);
      list.append(li);
    }
  }

  // ---- a waiting registration back in the form ----
  function openInForm(item) {
    form.reset();
    const names = new Set(item.fields.map(([k]) => k));
    for (const el of form.elements) {
      if (!el.name || el.name === 'csrf' || el.type === 'hidden') continue;
      const values = item.fields.filter(([k]) => k === el.name).map(([, v]) => v);
      if (el.type === 'radio' || el.type === 'checkbox') {
        el.checked = names.has(el.name) ? values.includes(el.value) : el.type === 'radio' && el.checked;
      } else if (el.tagName === 'SELECT' && el.multiple) {
        for (const o of el.options) o.selected = values.includes(o.value);
      } else if (el.type !== 'submit' && el.type !== 'button') {
        el.value = values.length ? values[0] : '';
      }
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }
    editing = item.key;
    let note = form.querySelector('.offline-editing');
    if (!note) {
      note = document.createElement('p');
      note.className = 'note offline-editing';
      note.setAttribute('aria-live', 'polite');
      form.prepend(note);
    }
    note.textContent = words.editing;
    const first = item.problems && item.problems.find((p) => p.field && form.elements[p.field]);
    const target = first ? form.elements[first.field] : form.querySelector('input, select');
    (target && target.focus ? target : form).focus();
    form.scrollIntoView({ block: 'start' });
  }

  // ---- sending ----
  let busy = false;
  async function sync() {
    if (busy || !navigator.onLine) return;
    const csrf = document.querySelector('input[name=csrf]');
    if (!csrf) return; // not logged in: the registrations wait for the next session
    busy = true;
    let sent = 0;
    try {
      const items = (await all()).filter((i) => i.state === 'waiting').sort((a, b) => a.created - b.created);
      for (const item of items) {
        let response;
        try {
          const body = new URLSearchParams(item.fields);
          body.append('csrf', csrf.value);
          response = await fetch('/registreren/sync', {
            method: 'POST',
            credentials: 'same-origin',
            redirect: 'manual',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': item.key },
            body,
          });
        } catch {
          break; // the network again: they wait
        }
        const json = (response.headers.get('Content-Type') || '').startsWith('application/json')
          ? await response.json().catch(() => null)
          : null;
        if ((response.status === 200 || response.status === 201) && json && json.id) {
          await drop(item.key);
          if (editing === item.key) editing = null;
          sent++;
        } else if (response.status === 422 && json) {
          item.state = 'refused';
          item.message = json.message;
          item.problems = json.problems || [];
          await put(item);
        } else {
          break; // not now (logged out, too many writes, the server): they wait
        }
      }
    } finally {
      busy = false;
    }
    if (sent) say((words.sent || '{n}').replace('{n}', sent));
    await show();
  }

  // ---- the form while offline, or a waiting registration being changed ----
  if (form) {
    let saving = false; // a second tap while the first is being kept adds nothing
    form.addEventListener('submit', async (event) => {
      if (navigator.onLine && !editing) return; // the ordinary way
      event.preventDefault();
      event.stopImmediatePropagation();
      if (saving) return;
      saving = true;
      try {
        await keepForm();
      } finally {
        saving = false;
      }
      await sync();
    });
    const keepForm = async () => {
      const data = new FormData(form);
      const fields = [];
      for (const [k, v] of data.entries()) if (k !== 'csrf' && typeof v === 'string') fields.push([k, v]);
      const item = { key: editing || newKey(), fields, created: Date.now(), state: 'waiting' };
      await put(item);
      editing = null;
      const note = form.querySelector('.offline-editing');
      if (note) note.remove();
      form.reset();
      form.querySelectorAll('input[name=kind]').forEach((r) => r.dispatchEvent(new Event('change', { bubbles: true })));
      say(words.savedLocal);
      await show();
      // the confirmation is at the top: take the user there (the button is far below on a phone)
      const status = document.getElementById('offline-status');
      if (status) {
        status.tabIndex = -1;
        status.focus({ preventScroll: true });
        document.getElementById('wachtrij').scrollIntoView({ block: 'start' });
      }
    };
  }

  // ---- logging out erases the device's data (Clear-Site-Data): ask first ----
  const logout = document.querySelector('form.logout');
  if (logout) {
    logout.addEventListener('submit', async (event) => {
      if (logout.dataset.confirmed) return;
      event.preventDefault();
      const n = (await all().catch(() => [])).length;
      if (n && !window.confirm(words.logoutConfirm)) return;
      logout.dataset.confirmed = '1';
      logout.requestSubmit();
    });
  }

  // ---- online, offline ----
  const note = document.getElementById('offline-note');
  const mark = () => {
    if (note) note.hidden = navigator.onLine;
    // the timer is kept on the server: its buttons wait for the connection
    document.querySelectorAll('form.timer').forEach((f) => (f.hidden = !navigator.onLine));
  };
  window.addEventListener('offline', mark);
  window.addEventListener('online', () => {
    mark();
    sync();
  });
  mark();
  if (new URLSearchParams(window.location.search).has('bewaard-op-toestel')) say(words.savedLocal);
  show().then(sync);
})();
