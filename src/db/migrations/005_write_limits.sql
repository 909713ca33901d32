-- SPDX-License-Identifier: EUPL-1.2
-- Bounds on writes. The author of a registration (the advisor of the user who created it
-- through the web form or the API; NULL for imported registrations and those made before
-- this migration): the author owns it, a co-advisor may only remove themselves.
-- Registration writes per API token or web session in a one-minute window, shared by
-- every serve process (key 'token:HASH' or 'session:HASH'; times are Unix seconds).

ALTER TABLE registration ADD COLUMN author_id INTEGER REFERENCES advisor(id);

CREATE TABLE write_rate (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  writes INTEGER NOT NULL
);
