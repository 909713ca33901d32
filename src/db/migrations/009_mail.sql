-- SPDX-License-Identifier: EUPL-1.2
-- E-mail (issue 17, docs/MAIL.md): a user's e-mail address and what they want by e-mail
-- (reminders of working days without registrations, the periodic reports, the language of
-- the messages), and the sent-log that makes `bereik mail due` send each message once.

ALTER TABLE app_user ADD COLUMN email TEXT;                              -- NULL: no e-mail
ALTER TABLE app_user ADD COLUMN mail_reminders INTEGER NOT NULL DEFAULT 1; -- 1 on, 0 off
ALTER TABLE app_user ADD COLUMN mail_reports INTEGER NOT NULL DEFAULT 1;   -- 1 on, 0 off
ALTER TABLE app_user ADD COLUMN mail_lang TEXT NOT NULL DEFAULT 'nl';      -- nl | en

-- One row per message sent: its kind (reminder, week, team-month, director-month), the
-- user it went to, the period it covers (2026-W49 for a week, 2026-11 for a month), when
-- (Unix seconds) and its Message-ID. A message is due only while its row is absent.
CREATE TABLE mail_sent (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('reminder', 'week', 'team-month', 'director-month')),
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  period TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  UNIQUE (kind, user_id, period)
);
