-- SPDX-License-Identifier: EUPL-1.2
-- Favourites of the registration form (docs/DAY-form.md): an advisor's named templates.
-- fields holds the form's fields as an application/x-www-form-urlencoded text (kind,
-- duration, line, goal, modality, institutions, counts tg-CODE, co-advisors ...; never
-- the date), filled back into the form in one tap. Names are unique per advisor.
CREATE TABLE favourite (
  id INTEGER PRIMARY KEY,
  advisor_id INTEGER NOT NULL REFERENCES advisor(id),
  name TEXT NOT NULL,
  fields TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (advisor_id, name)
);
