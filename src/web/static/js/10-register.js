// SPDX-License-Identifier: EUPL-1.2
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const form = document.querySelector('form.register');
  if (!form) return;
  const client = form.querySelector('fieldset.client-fields');
  const internal = form.querySelector('fieldset.internal-fields');
  // show only the fields of the kind chosen (the server ignores the others anyway)
  const sync = () => {
    const kind = (form.querySelector('input[name=kind]:checked') || {}).value;
    if (client) client.hidden = kind === 'internal';
    if (internal) internal.hidden = kind !== 'internal';
  };
  form.querySelectorAll('input[name=kind]').forEach((r) => r.addEventListener('change', sync));
  sync();
  // a + button beside every head count (inside its .stepper, so it never wraps under the
  // field); not a tab stop: the number field itself is reachable and takes arrow keys
  form.querySelectorAll('.counts input[type=number]').forEach((input) => {
    const plus = document.createElement('button');
    plus.type = 'button';
    plus.className = 'plus';
    plus.tabIndex = -1;
    plus.textContent = '+';
    const label = input.labels && input.labels[0] ? input.labels[0].textContent : '';
    plus.setAttribute('aria-label', label + ' +1');
    plus.addEventListener('click', () => {
      input.value = String((parseInt(input.value || '0', 10) || 0) + 1);
    });
    input.after(plus);
  });
  // institution suggestions while typing the next institution of the list
  const inst = form.querySelector('#institutions');
  if (inst) {
    inst.removeAttribute('list');
    const box = document.createElement('ul');
    box.id = 'institutions-suggest';
    box.className = 'suggest';
    box.setAttribute('role', 'listbox');
    box.setAttribute('aria-label', inst.labels && inst.labels[0] ? inst.labels[0].textContent : '');
    box.hidden = true;
    inst.setAttribute('role', 'combobox');
    inst.setAttribute('aria-autocomplete', 'list');
    inst.setAttribute('aria-controls', box.id);
    inst.setAttribute('aria-expanded', 'false');
    inst.after(box);
    let items = [];
    let active = -1;
    let timer = 0;
    // the text after the last comma: codes, numbers and names with spaces
    const lastToken = () => (inst.value.match(/[^,;]*$/) || [''])[0];
    const close = () => {
      box.hidden = true;
      inst.setAttribute('aria-expanded', 'false');
      inst.removeAttribute('aria-activedescendant');
      active = -1;
    };
    const choose = (i) => {
      const it = items[i];
      if (!it) return;
      const head = inst.value.slice(0, inst.value.length - lastToken().length);
      inst.value = head + (head ? ' ' : '') + it.code + ', ';
      items = [];
      close();
      inst.focus();
    };
    const show = () => {
      box.replaceChildren();
      items.forEach((it, i) => {
        const li = document.createElement('li');
        li.id = 'inst-opt-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = it.code + ' · ' + it.name + ' (' + it.number + ')';
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          choose(i);
        });
        box.append(li);
      });
      box.hidden = items.length === 0;
      inst.setAttribute('aria-expanded', String(items.length > 0));
    };
    inst.addEventListener('input', () => {
      clearTimeout(timer);
      const q = lastToken().trim();
      if (q.length < 2) {
        items = [];
        close();
        return;
      }
      timer = setTimeout(async () => {
        try {
          const res = await fetch('/instellingen?formaat=json&q=' + encodeURIComponent(q), { credentials: 'same-origin' });
          if (!res.ok || q !== lastToken().trim()) return;
          items = await res.json();
          active = -1;
          show();
        } catch (e) {
          close();
        }
      }, 120);
    });
    inst.addEventListener('keydown', (e) => {
      // Enter never submits the form from this field: it picks the highlighted
      // suggestion, or closes the list (a half-finished registration is never saved)
      if (e.key === 'Enter') {
        e.preventDefault();
        if (!box.hidden && active >= 0) choose(active);
        else close();
        return;
      }
      if (box.hidden || !items.length) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        active = (active + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
        box.querySelectorAll('li').forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
        inst.setAttribute('aria-activedescendant', 'inst-opt-' + active);
      } else if (e.key === 'Escape') {
        close();
      }
    });
    inst.addEventListener('blur', () => setTimeout(close, 150));
  }
});
