-- SPDX-License-Identifier: EUPL-1.2
-- Signing in with the organisation's account (OpenID Connect; docs/DEPLOYMENT.md,
-- section 9; src/http/oidc.h).
--
-- idp_subject: the value of the linking claim (oidc-claim: the e-mail address, lower
-- case, or the provider's sub) of the provider account that signs in as this user; NULL
-- when none is linked. pending = 1: the account was made by a first sign-in of an
-- unknown provider account (oidc-unknown = approve) and waits for an admin's approval;
-- such an account is inactive and has no usable password.
ALTER TABLE app_user ADD COLUMN idp_subject TEXT;
ALTER TABLE app_user ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX app_user_by_idp_subject ON app_user(idp_subject);

-- The ID token of a session made by a provider sign-in: the id_token_hint of the
-- provider's logout (RP-initiated logout). NULL for a password sign-in.
ALTER TABLE session ADD COLUMN id_token TEXT;

-- A sign-in started at the provider: state_hash is the keyed hash of the state (the state
-- itself is only in the browser's cookie and the provider's redirect), nonce the value the
-- ID token must carry, verifier the PKCE code verifier, next the local page to open
-- afterwards. A state is used once (used_at) and only within 10 minutes of created_at
-- (Unix seconds); each new sign-in deletes the rows past those 10 minutes, so a flood of
-- started sign-ins keeps at most 10 minutes of rows.
CREATE TABLE oidc_login (
  state_hash TEXT PRIMARY KEY,
  nonce TEXT NOT NULL,
  verifier TEXT NOT NULL,
  next TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX oidc_login_by_created ON oidc_login(created_at);
