-- SPDX-License-Identifier: EUPL-1.2
-- Offline registration and the timer (docs/DAY.md, "offline").
--
-- A registration saved on a phone without network waits in the browser with a random
-- idempotency key; when it is sent (POST /registreren/sync, or the API's POST
-- /api/v1/registrations with an Idempotency-Key header) the key is recorded here with the
-- registration it created, in the same transaction as the registration. The same key sent
-- again by the same user finds this row and creates nothing. reg_ext_id is the
-- registration's id (registrations.csv's id column), created_at Unix seconds.
CREATE TABLE idempotency_key (
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  idem_key TEXT NOT NULL,
  reg_ext_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, idem_key)
);

-- The running timer of a user, at most one: started_at in Unix seconds. "Stop" deletes the
-- row and opens the registration form with the date, start and end filled in.
CREATE TABLE user_timer (
  user_id INTEGER NOT NULL PRIMARY KEY REFERENCES app_user(id),
  started_at INTEGER NOT NULL
);
