-- SPDX-License-Identifier: EUPL-1.2
-- Accounts (issue 13): a TOTP code is accepted once (the last time step used), a second
-- factor is set up by its user (the secret waits in totp_pending until a code confirms
-- it), one-time recovery codes, device cookies that let a known browser in while its
-- account is throttled for everybody else, a user's own sessions with their address,
-- login throttling with exponential back-off, and failed logins for the audit view.
-- Times are Unix seconds.

ALTER TABLE app_user ADD COLUMN totp_last_step INTEGER;
ALTER TABLE app_user ADD COLUMN totp_pending TEXT;
ALTER TABLE session ADD COLUMN addr TEXT;
-- back-off: a key is throttled until last_failure + its delay (see auth.c)
ALTER TABLE login_attempt ADD COLUMN last_failure INTEGER NOT NULL DEFAULT 0;

-- One-time recovery codes: a keyed hash of each, used_at once it has been used.
CREATE TABLE recovery_code (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  code_hash TEXT NOT NULL UNIQUE,
  used_at INTEGER
);
CREATE INDEX recovery_code_by_user ON recovery_code(user_id);

-- A browser where the user logged in successfully (OWASP device cookies), by a keyed
-- hash of its cookie.
CREATE TABLE device (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX device_by_user ON device(user_id);

-- After a correct password, an account that must set up a second factor gets a short
-- ticket for the setup page (no session before the second factor works).
CREATE TABLE login_setup (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  expires_at INTEGER NOT NULL
);

-- Failed logins (and refusals by throttling), shown to admins in the audit view.
CREATE TABLE login_failure (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  login TEXT NOT NULL,
  addr TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX login_failure_by_at ON login_failure(at);
