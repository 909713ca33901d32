-- SPDX-License-Identifier: EUPL-1.2
-- Personal API tokens (Authorization: Bearer). As with sessions, only a keyed hash of
-- the token is stored; the token itself is shown once when it is made. Times are Unix
-- seconds; expires_at and revoked_at are NULL while they do not apply.

CREATE TABLE api_token (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES app_user(id),
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  last_used INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_token_by_user ON api_token(user_id);
