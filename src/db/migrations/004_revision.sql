-- SPDX-License-Identifier: EUPL-1.2
-- The revision of the data: a random token that every write transaction replaces
-- (db_begin_write). A serve process may keep what it computed from the whole database
-- (the facts of a year) while the token is unchanged; a change by any process, on either
-- engine, makes it recompute. A restored backup brings its own token back, with the data
-- that token stands for.

CREATE TABLE revision (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token BIGINT NOT NULL
);
INSERT INTO revision (id, token) VALUES (1, 1);
