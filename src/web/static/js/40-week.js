// SPDX-License-Identifier: EUPL-1.2
// Mijn week: keyboard shortcuts (n new registration, j / Alt+→ next week, k / Alt+←
// previous week, t this week, / search, ? help) and their help dialog. A key never
// fires while the user types in a field or holds Ctrl/Meta.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const week = document.getElementById('week');
  if (!week) return;
  // a refused copy: its message (at the top) takes the focus, so that it is read first
  const refused = document.getElementById('copy-result');
  if (refused) refused.focus();
  const help = document.getElementById('sneltoetsen');
  const openHelp = () => {
    if (help && !help.open && typeof help.showModal === 'function') help.showModal();
  };
  document.querySelectorAll('a.shortcuts-open').forEach((a) =>
    a.addEventListener('click', (e) => {
      e.preventDefault();
      openHelp();
    }));
  const typing = (el) => {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    const tag = el.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
  };
  const go = (url) => {
    if (url) window.location.assign(url);
  };
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || typing(e.target)) return;
    if (help && help.open) return; // the dialog handles Escape itself
    let url = null;
    if (e.altKey) {
      if (e.key === 'ArrowRight') url = week.dataset.next;
      else if (e.key === 'ArrowLeft') url = week.dataset.prev;
      else return;
    } else if (e.key === 'n') url = '/registreren';
    else if (e.key === 'j') url = week.dataset.next;
    else if (e.key === 'k') url = week.dataset.prev;
    else if (e.key === 't') url = week.dataset.today;
    else if (e.key === '/') {
      const q = document.getElementById('q');
      if (q) {
        e.preventDefault();
        q.focus();
        return;
      }
      url = '/week/zoeken';
    }
    else if (e.key === '?') {
      e.preventDefault();
      openHelp();
      return;
    } else return;
    if (!url) return;
    e.preventDefault();
    go(url);
  });
});
