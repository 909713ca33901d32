-- SPDX-License-Identifier: EUPL-1.2
-- Initial schema: every entity of spec/DOMAIN.md sections 1-5.
-- Portable SQL (SQLite and PostgreSQL): INTEGER keys, TEXT dates (YYYY-MM-DD),
-- school years as the integer of their starting calendar year (2024 = 2024-2025).
-- "WITHOUT ROWID" (SQLite: the link tables are clustered on their primary key) is the
-- one SQLite-only token; a server backend drops it when it applies a migration.

CREATE TABLE setting (
  school_year INTEGER PRIMARY KEY,
  hours_per_fte REAL NOT NULL,
  reach_rule TEXT NOT NULL DEFAULT 'contact',
  reach_min_hours REAL,
  locked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sector (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  grp TEXT,
  position INTEGER
);

CREATE TABLE line (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('pillar', 'project', 'other')),
  unit TEXT NOT NULL DEFAULT 'pbd' CHECK (unit IN ('pbd', 'poc')),
  position INTEGER
);

CREATE TABLE goal (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  line_id INTEGER NOT NULL REFERENCES line(id),
  name TEXT NOT NULL
);

CREATE TABLE plan (
  school_year INTEGER NOT NULL,
  line_id INTEGER NOT NULL REFERENCES line(id),
  planned_fte REAL NOT NULL,
  coloured_fte REAL,
  PRIMARY KEY (school_year, line_id)
);

CREATE TABLE institution (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  sector_id INTEGER NOT NULL REFERENCES sector(id),
  own INTEGER NOT NULL DEFAULT 1,
  board_id INTEGER REFERENCES institution(id),
  active INTEGER NOT NULL DEFAULT 1,
  start_date TEXT,
  end_date TEXT
);

CREATE TABLE team (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);

CREATE TABLE team_line (
  team_id INTEGER NOT NULL REFERENCES team(id),
  line_id INTEGER NOT NULL REFERENCES line(id),
  PRIMARY KEY (team_id, line_id)
);

CREATE TABLE advisor (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'begeleider',
  fte REAL NOT NULL,
  start_date TEXT,
  end_date TEXT
);

CREATE TABLE team_member (
  team_id INTEGER NOT NULL REFERENCES team(id),
  advisor_id INTEGER NOT NULL REFERENCES advisor(id),
  PRIMARY KEY (team_id, advisor_id)
);
CREATE INDEX team_member_advisor ON team_member(advisor_id);

CREATE TABLE target_group (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  position INTEGER
);

CREATE TABLE target (
  school_year INTEGER NOT NULL,
  target_group_id INTEGER NOT NULL REFERENCES target_group(id),
  target REAL NOT NULL,
  PRIMARY KEY (school_year, target_group_id)
);

CREATE TABLE trajectory (
  id INTEGER PRIMARY KEY,
  ext_id TEXT NOT NULL UNIQUE,
  institution_id INTEGER NOT NULL REFERENCES institution(id),
  line_id INTEGER REFERENCES line(id),
  goal_id INTEGER REFERENCES goal(id),
  level TEXT,
  shared_goal TEXT,
  action_plan TEXT,
  start_date TEXT,
  end_date TEXT,
  status TEXT NOT NULL DEFAULT 'active'
);

CREATE TABLE registration (
  id INTEGER PRIMARY KEY,
  ext_id TEXT NOT NULL UNIQUE,
  date TEXT NOT NULL,
  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
  kind TEXT NOT NULL CHECK (kind IN ('client', 'internal')),
  line_id INTEGER NOT NULL REFERENCES line(id),
  goal_id INTEGER REFERENCES goal(id),
  modality TEXT,
  activity TEXT,
  trajectory_id INTEGER REFERENCES trajectory(id),
  level TEXT,
  followup INTEGER,
  description TEXT
);
CREATE INDEX registration_date ON registration(date);

CREATE TABLE registration_advisor (
  registration_id INTEGER NOT NULL REFERENCES registration(id),
  advisor_id INTEGER NOT NULL REFERENCES advisor(id),
  PRIMARY KEY (registration_id, advisor_id)
) WITHOUT ROWID;
CREATE INDEX registration_advisor_advisor ON registration_advisor(advisor_id);

CREATE TABLE registration_institution (
  registration_id INTEGER NOT NULL REFERENCES registration(id),
  institution_id INTEGER NOT NULL REFERENCES institution(id),
  PRIMARY KEY (registration_id, institution_id)
) WITHOUT ROWID;
CREATE INDEX registration_institution_institution ON registration_institution(institution_id);

CREATE TABLE registration_count (
  registration_id INTEGER NOT NULL REFERENCES registration(id),
  target_group_id INTEGER NOT NULL REFERENCES target_group(id),
  count INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (registration_id, target_group_id)
) WITHOUT ROWID;

CREATE TABLE pd_spend (
  id INTEGER PRIMARY KEY,
  advisor_id INTEGER NOT NULL REFERENCES advisor(id),
  school_year INTEGER NOT NULL,
  date TEXT NOT NULL,
  amount_eur REAL NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  UNIQUE (advisor_id, school_year, date, description)
);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_key TEXT,
  before_json TEXT,
  after_json TEXT,
  detail_json TEXT
);
