-- SPDX-License-Identifier: EUPL-1.2
-- Accounts, sessions and login throttling of the web application, and installation
-- settings. Everything several serve processes must share lives here, not in memory.

CREATE TABLE app_user (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('advisor', 'coordinator', 'director', 'admin')),
  advisor_id INTEGER REFERENCES advisor(id),
  password_hash TEXT NOT NULL,
  totp_secret TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);

-- A session is known by a keyed hash of its id (the id itself is only in the cookie).
-- Times are Unix seconds.
CREATE TABLE session (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);
CREATE INDEX session_by_user ON session(user_id);

-- Failed logins per account ('login:NAME') and per address ('ip:ADDR') in a window.
CREATE TABLE login_attempt (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  failures INTEGER NOT NULL
);

CREATE TABLE installation (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
