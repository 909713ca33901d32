-- SPDX-License-Identifier: EUPL-1.2
-- The revision of the data: random tokens that write transactions replace
-- (db_begin_write). token changes with every write; reference_token only with writes
-- that may change reference data (everything but a registration's own create, change
-- or delete). A serve process may keep what it computed from the database (the facts
-- of a year under token, the reference data under reference_token) while the token is
-- unchanged; a change by any process, on either engine, makes it recompute. A restored
-- backup brings its own tokens back, with the data they stand for.

CREATE TABLE revision (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token BIGINT NOT NULL,
  reference_token BIGINT NOT NULL
);
INSERT INTO revision (id, token, reference_token) VALUES (1, 1, 1);
