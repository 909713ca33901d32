-- SPDX-License-Identifier: EUPL-1.2
-- Data quality (issue 17, docs/QUALITY.md): the server-set creation and change times of a
-- registration (UTC, 'YYYY-MM-DDTHH:MM:SSZ' as audit.at; NULL for imported and older
-- rows: unknown registration lag), the Flemish school holidays as reference data, each
-- advisor's days off, and the planned split of an advisor's FTE over lines.

ALTER TABLE registration ADD COLUMN created_at TEXT;
ALTER TABLE registration ADD COLUMN updated_at TEXT;

-- A school holiday or free day: every day from start_date to end_date (inclusive).
CREATE TABLE holiday (
  start_date TEXT NOT NULL PRIMARY KEY,
  end_date TEXT NOT NULL,
  name TEXT NOT NULL
);

-- A day an advisor does not work (leave, part-time day, illness): not a day to register.
CREATE TABLE advisor_day_off (
  advisor_id INTEGER NOT NULL REFERENCES advisor(id),
  date TEXT NOT NULL,
  note TEXT,
  PRIMARY KEY (advisor_id, date)
) WITHOUT ROWID;

-- The planned split of an advisor's FTE over lines in a school year (DOMAIN.md section 5).
CREATE TABLE advisor_line_plan (
  advisor_id INTEGER NOT NULL REFERENCES advisor(id),
  school_year INTEGER NOT NULL,
  line_id INTEGER NOT NULL REFERENCES line(id),
  fte REAL NOT NULL CHECK (fte >= 0),
  PRIMARY KEY (advisor_id, school_year, line_id)
) WITHOUT ROWID;

-- The Flemish school holidays and free days of the school years 2022-2023 .. 2029-2030,
-- by the rules of the Besluit van de Vlaamse Regering of 17 April 1991 (docs/QUALITY.md).
INSERT INTO holiday (start_date, end_date, name) VALUES ('2022-10-31', '2022-11-06', 'herfstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2022-11-11', '2022-11-11', 'Wapenstilstand (11 november)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2022-12-26', '2023-01-08', 'kerstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2023-02-20', '2023-02-26', 'krokusvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2023-04-03', '2023-04-16', 'paasvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2023-05-01', '2023-05-01', 'Dag van de arbeid (1 mei)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2023-05-18', '2023-05-19', 'O.-H.-Hemelvaart en brugdag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2023-05-29', '2023-05-29', 'Pinkstermaandag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2023-07-01', '2023-08-31', 'zomervakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2023-10-30', '2023-11-05', 'herfstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2023-12-25', '2024-01-07', 'kerstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2024-02-12', '2024-02-18', 'krokusvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2024-04-01', '2024-04-14', 'paasvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2024-05-01', '2024-05-01', 'Dag van de arbeid (1 mei)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2024-05-09', '2024-05-10', 'O.-H.-Hemelvaart en brugdag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2024-05-20', '2024-05-20', 'Pinkstermaandag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2024-07-01', '2024-08-31', 'zomervakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2024-10-28', '2024-11-03', 'herfstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2024-11-11', '2024-11-11', 'Wapenstilstand (11 november)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2024-12-23', '2025-01-05', 'kerstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2025-03-03', '2025-03-09', 'krokusvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2025-04-07', '2025-04-20', 'paasvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2025-04-21', '2025-04-21', 'Paasmaandag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2025-05-01', '2025-05-01', 'Dag van de arbeid (1 mei)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2025-05-29', '2025-05-30', 'O.-H.-Hemelvaart en brugdag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2025-06-09', '2025-06-09', 'Pinkstermaandag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2025-07-01', '2025-08-31', 'zomervakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2025-10-27', '2025-11-02', 'herfstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2025-11-11', '2025-11-11', 'Wapenstilstand (11 november)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2025-12-22', '2026-01-04', 'kerstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2026-02-16', '2026-02-22', 'krokusvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2026-04-06', '2026-04-19', 'paasvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2026-05-01', '2026-05-01', 'Dag van de arbeid (1 mei)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2026-05-14', '2026-05-15', 'O.-H.-Hemelvaart en brugdag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2026-05-25', '2026-05-25', 'Pinkstermaandag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2026-07-01', '2026-08-31', 'zomervakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2026-11-02', '2026-11-08', 'herfstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2026-11-11', '2026-11-11', 'Wapenstilstand (11 november)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2026-12-21', '2027-01-03', 'kerstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2027-02-08', '2027-02-14', 'krokusvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2027-03-29', '2027-04-11', 'paasvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2027-05-06', '2027-05-07', 'O.-H.-Hemelvaart en brugdag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2027-05-17', '2027-05-17', 'Pinkstermaandag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2027-07-01', '2027-08-31', 'zomervakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2027-11-01', '2027-11-07', 'herfstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2027-11-11', '2027-11-11', 'Wapenstilstand (11 november)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2027-12-27', '2028-01-09', 'kerstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2028-02-28', '2028-03-05', 'krokusvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2028-04-03', '2028-04-16', 'paasvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2028-04-17', '2028-04-17', 'Paasmaandag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2028-05-01', '2028-05-01', 'Dag van de arbeid (1 mei)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2028-05-25', '2028-05-26', 'O.-H.-Hemelvaart en brugdag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2028-06-05', '2028-06-05', 'Pinkstermaandag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2028-07-01', '2028-08-31', 'zomervakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2028-10-30', '2028-11-05', 'herfstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2028-12-25', '2029-01-07', 'kerstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2029-02-12', '2029-02-18', 'krokusvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2029-04-02', '2029-04-15', 'paasvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2029-05-01', '2029-05-01', 'Dag van de arbeid (1 mei)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2029-05-10', '2029-05-11', 'O.-H.-Hemelvaart en brugdag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2029-05-21', '2029-05-21', 'Pinkstermaandag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2029-07-01', '2029-08-31', 'zomervakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2029-10-29', '2029-11-04', 'herfstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2029-12-24', '2030-01-06', 'kerstvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2030-03-04', '2030-03-10', 'krokusvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2030-04-08', '2030-04-21', 'paasvakantie');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2030-04-22', '2030-04-22', 'Paasmaandag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2030-05-01', '2030-05-01', 'Dag van de arbeid (1 mei)');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2030-05-30', '2030-05-31', 'O.-H.-Hemelvaart en brugdag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2030-06-10', '2030-06-10', 'Pinkstermaandag');
INSERT INTO holiday (start_date, end_date, name) VALUES ('2030-07-01', '2030-08-31', 'zomervakantie');
