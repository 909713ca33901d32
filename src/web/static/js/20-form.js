// SPDX-License-Identifier: EUPL-1.2
// The registration form (docs/DAY-form.md): begin and end fill the duration; after a
// failed save the summary of every problem takes focus; "Ongedaan maken" disappears
// when its five minutes are over; Enter in the favourite's name saves the favourite.
// The form works without this script: the server does each of these too.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();

  // the undo button only while the server still accepts it
  document.querySelectorAll('form.undo[data-seconds]').forEach((undo) => {
    const s = parseInt(undo.dataset.seconds, 10);
    if (s > 0) setTimeout(() => undo.remove(), s * 1000);
  });

  const form = document.querySelector('form.register');
  if (!form) return;
  const duration = form.querySelector('#duration');
  const begin = form.querySelector('#begin');
  const end = form.querySelector('#einde');
  const minutesOf = (v) => {
    const m = /^(\d{1,2})[:u.](\d{2})$/.exec((v || '').trim());
    if (!m) return -1;
    const h = +m[1];
    const mm = +m[2];
    return h < 24 && mm < 60 ? h * 60 + mm : -1;
  };
  // the duration as shown everywhere: 1u30
  const show = (min) => Math.floor(min / 60) + 'u' + String(min % 60).padStart(2, '0');
  let filled = '';
  const fill = () => {
    const b = minutesOf(begin.value);
    const e = minutesOf(end.value);
    if (b < 0 || e < 0 || e <= b) return;
    // only over an empty duration or one these times filled before
    if (duration.value.trim() && duration.value !== filled) return;
    filled = show(e - b);
    duration.value = filled;
  };
  if (duration && begin && end) {
    begin.addEventListener('change', fill);
    end.addEventListener('change', fill);
    begin.addEventListener('input', fill);
    end.addEventListener('input', fill);
  }

  const favName = form.querySelector('#favoriet_naam');
  const favSave = form.querySelector('#fav-save');
  if (favName && favSave) {
    favName.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      favSave.click();
    });
  }
});
