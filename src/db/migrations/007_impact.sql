-- SPDX-License-Identifier: EUPL-1.2
-- Impact (issue 16, docs/IMPACT.md): trajectories kept by their advisors, with an action
-- plan of structured steps, dated follow-up entries, the EEF implementation phase with the
-- date of each change, the outcome at closing, the EEF mechanisms of effective professional
-- development used per registration, and anonymous client surveys on versioned
-- questionnaires. No table holds personal data of a respondent: a response keeps only a
-- keyed hash of a random cookie of the browser that sent it (one answer per browser).

ALTER TABLE trajectory ADD COLUMN outcome TEXT;      -- yes | partly | no, set at closing
ALTER TABLE trajectory ADD COLUMN outcome_note TEXT; -- the short evidence note

CREATE TABLE trajectory_advisor (
  trajectory_id INTEGER NOT NULL REFERENCES trajectory(id),
  advisor_id INTEGER NOT NULL REFERENCES advisor(id),
  PRIMARY KEY (trajectory_id, advisor_id)
) WITHOUT ROWID;
CREATE INDEX trajectory_advisor_advisor ON trajectory_advisor(advisor_id);

-- One step of a trajectory's action plan: what, who (a role), when, the expected result.
CREATE TABLE action_step (
  id INTEGER PRIMARY KEY,
  trajectory_id INTEGER NOT NULL REFERENCES trajectory(id),
  step INTEGER NOT NULL,
  what TEXT NOT NULL,
  who TEXT,
  due TEXT,
  expected TEXT,
  done INTEGER NOT NULL DEFAULT 0,
  UNIQUE (trajectory_id, step)
);

-- The date a trajectory entered an EEF implementation phase; the current phase is the one
-- entered last.
CREATE TABLE trajectory_phase (
  trajectory_id INTEGER NOT NULL REFERENCES trajectory(id),
  phase TEXT NOT NULL CHECK (phase IN ('explore', 'prepare', 'deliver', 'sustain')),
  date TEXT NOT NULL,
  PRIMARY KEY (trajectory_id, phase)
) WITHOUT ROWID;

CREATE TABLE followup (
  id INTEGER PRIMARY KEY,
  ext_id TEXT NOT NULL UNIQUE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectory(id),
  date TEXT NOT NULL,
  note TEXT NOT NULL,
  next_step TEXT
);
CREATE INDEX followup_trajectory ON followup(trajectory_id);
CREATE TABLE followup_registration (
  followup_id INTEGER NOT NULL REFERENCES followup(id),
  registration_id INTEGER NOT NULL REFERENCES registration(id),
  PRIMARY KEY (followup_id, registration_id)
) WITHOUT ROWID;

-- The EEF mechanisms (docs/IMPACT.md) a registration's guidance used.
CREATE TABLE registration_mechanism (
  registration_id INTEGER NOT NULL REFERENCES registration(id),
  mechanism TEXT NOT NULL,
  PRIMARY KEY (registration_id, mechanism)
) WITHOUT ROWID;

-- Standardised questionnaires, versioned: a new version is a new code, so answers stay
-- comparable within one code.
CREATE TABLE questionnaire (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('short', 'long')),
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE question (
  id INTEGER PRIMARY KEY,
  questionnaire_id INTEGER NOT NULL REFERENCES questionnaire(id),
  key TEXT NOT NULL,
  position INTEGER NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('scale', 'open')),
  text TEXT NOT NULL,
  low TEXT,
  high TEXT,
  UNIQUE (questionnaire_id, key)
);

CREATE TABLE survey (
  id INTEGER PRIMARY KEY,
  ext_id TEXT NOT NULL UNIQUE,
  token TEXT NOT NULL UNIQUE,
  questionnaire_id INTEGER NOT NULL REFERENCES questionnaire(id),
  trajectory_id INTEGER REFERENCES trajectory(id),
  registration_id INTEGER REFERENCES registration(id),
  created TEXT NOT NULL,
  expires TEXT NOT NULL,
  max_answers INTEGER NOT NULL CHECK (max_answers BETWEEN 1 AND 1000),
  created_by INTEGER REFERENCES advisor(id)
);
CREATE TABLE survey_response (
  id INTEGER PRIMARY KEY,
  survey_id INTEGER NOT NULL REFERENCES survey(id),
  seq INTEGER NOT NULL,
  browser TEXT,
  UNIQUE (survey_id, seq),
  UNIQUE (survey_id, browser)
);
CREATE TABLE survey_answer (
  response_id INTEGER NOT NULL REFERENCES survey_response(id),
  question_id INTEGER NOT NULL REFERENCES question(id),
  score INTEGER CHECK (score BETWEEN 1 AND 5),
  text TEXT,
  PRIMARY KEY (response_id, question_id)
) WITHOUT ROWID;

-- The service's standard questionnaires, version 1.
INSERT INTO questionnaire (code, kind, version, title)
  VALUES ('KORT-1', 'short', 1, 'Korte termijn: na de sessie');
INSERT INTO questionnaire (code, kind, version, title)
  VALUES ('LANG-1', 'long', 1, 'Lange termijn: enkele maanden later');
INSERT INTO question (questionnaire_id, key, position, type, text, low, high)
  SELECT id, 'relevant', 1, 'scale', 'De sessie sloot aan bij de noden van onze school.',
         'helemaal niet akkoord', 'helemaal akkoord' FROM questionnaire WHERE code = 'KORT-1';
INSERT INTO question (questionnaire_id, key, position, type, text, low, high)
  SELECT id, 'useful', 2, 'scale', 'Ik kan wat we deden meteen gebruiken in mijn praktijk.',
         'helemaal niet akkoord', 'helemaal akkoord' FROM questionnaire WHERE code = 'KORT-1';
INSERT INTO question (questionnaire_id, key, position, type, text, low, high)
  SELECT id, 'clear', 3, 'scale', 'De begeleider bracht de inhoud helder en deskundig.',
         'helemaal niet akkoord', 'helemaal akkoord' FROM questionnaire WHERE code = 'KORT-1';
INSERT INTO question (questionnaire_id, key, position, type, text, low, high)
  SELECT id, 'remark', 4, 'open', 'Wat neem je mee, of wat kan beter?', NULL, NULL
  FROM questionnaire WHERE code = 'KORT-1';
INSERT INTO question (questionnaire_id, key, position, type, text, low, high)
  SELECT id, 'goal', 1, 'scale', 'We hebben het gedeelde doel van de begeleiding bereikt.',
         'helemaal niet akkoord', 'helemaal akkoord' FROM questionnaire WHERE code = 'LANG-1';
INSERT INTO question (questionnaire_id, key, position, type, text, low, high)
  SELECT id, 'practice', 2, 'scale', 'Onze praktijk in de klas is blijvend veranderd.',
         'helemaal niet akkoord', 'helemaal akkoord' FROM questionnaire WHERE code = 'LANG-1';
INSERT INTO question (questionnaire_id, key, position, type, text, low, high)
  SELECT id, 'sustain', 3, 'scale', 'We kunnen zelfstandig verder zonder begeleiding.',
         'helemaal niet akkoord', 'helemaal akkoord' FROM questionnaire WHERE code = 'LANG-1';
INSERT INTO question (questionnaire_id, key, position, type, text, low, high)
  SELECT id, 'remark', 4, 'open', 'Wat heeft het meeste verschil gemaakt?', NULL, NULL
  FROM questionnaire WHERE code = 'LANG-1';
