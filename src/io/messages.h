/* SPDX-License-Identifier: EUPL-1.2 */
/* The messages of the dataset import (DATA-FORMAT.md section 2), each once, in English
   (the command line, the API) and Dutch (the web pages): M_NAME expands to the two
   format strings, so error_at(im, column, M_NAME, arguments) checks its arguments against
   the English format at compile time, and tests/unit/test_messages.c checks that the
   Dutch one converts the same arguments in the same order. */
#ifndef BEREIK_IMPORT_MESSAGES_H
#define BEREIK_IMPORT_MESSAGES_H

#define M_UNKNOWN_VALUE_EXPECTED_ONE                                                                         \
  "unknown value '%s' (expected one of: %s)", "onbekende waarde '%s' (verwacht: een van %s)"
#define M_CANNOT_NEGATIVE "%s cannot be negative: %s", "%s mag niet negatief zijn: %s"
#define M_END_DATE_LIES_BEFORE_START                                                                         \
  "end date %s lies before start date %s", "einddatum %s ligt vóór begindatum %s"
#define M_SCHOOL_YEAR_LOCKED_ADMIN_MUST                                                                      \
  "school year %s is locked; an admin must reopen it before it can change",                                  \
      "schooljaar %s is afgesloten; een beheerder moet het heropenen voor het kan wijzigen"
#define M_MUST_GREATER_THAN "must be greater than 0: %s", "moet groter zijn dan 0: %s"
#define M_SCHOOL_YEAR_LOCKED_DATASET_CANNOT                                                                  \
  "school year %s is locked; a dataset cannot unlock it (an admin reopens it)",                              \
      "schooljaar %s is afgesloten; een dataset kan het niet heropenen (dat doet een beheerder)"
#define M_RESERVED_FOR_TOTAL_ROW_REPORT                                                                      \
  "'%s' is reserved for a total row of the report", "'%s' is voorbehouden voor een totaalrij van het "       \
                                                    "rapport"
#define M_UNKNOWN_LINE "unknown line '%s'", "onbekende pijler of project '%s'"
#define M_OTHER_NO_PLANNED_FTE                                                                               \
  "line '%s' is of kind other and has no planned FTE",                                                       \
      "pijler of project '%s' is van het soort 'other' en heeft geen voorziene FTE"
#define M_OTHER_NO_COLOURED_FTE                                                                              \
  "line '%s' is of kind other and has no coloured FTE",                                                      \
      "pijler of project '%s' is van het soort 'other' en heeft geen gekleurde middelen"
#define M_RESERVED_FOR_ROW_REPORT                                                                            \
  "'%s' is reserved for a row of the report", "'%s' is voorbehouden voor een rij van het rapport"
#define M_NUMBER_ANOTHER_INSTITUTION                                                                         \
  "'%s' is the number of another institution", "'%s' is het nummer van een andere instelling"
#define M_CODE_ANOTHER_INSTITUTION                                                                           \
  "'%s' is the code of another institution", "'%s' is de code van een andere instelling"
#define M_CODE_ALREADY_USED_BY_INSTITUTION                                                                   \
  "code '%s' is already used by institution %s", "code '%s' wordt al gebruikt door instelling %s"
#define M_UNKNOWN_SECTOR "unknown sector '%s'", "onbekende sector '%s'"
#define M_UNKNOWN_TEAM "unknown team '%s'", "onbekend team '%s'"
#define M_TOTAL_RESERVED                                                                                     \
  "'total' is reserved for the total row of the report",                                                     \
      "'total' is voorbehouden voor de totaalrij van het rapport"
#define M_UNKNOWN_TARGET_GROUP "unknown target group '%s'", "onbekende doelgroep '%s'"
#define M_UNKNOWN_INSTITUTION "unknown institution '%s'", "onbekende instelling '%s'"
#define M_UNKNOWN_GOAL "unknown goal '%s'", "onbekend operationeel doel '%s'"
#define M_GOAL_BELONGS_LINE_NOT                                                                              \
  "goal '%s' belongs to line '%s', not to '%s'",                                                             \
      "operationeel doel '%s' hoort bij pijler of project '%s', niet bij '%s'"
#define M_UNKNOWN_ADVISOR "unknown advisor '%s'", "onbekende begeleider '%s'"
/* data quality (docs/QUALITY.md) */
#define M_HOLIDAY_TOO_LONG                                                                                   \
  "a holiday spans at most 100 days: %s to %s", "een vakantie duurt hoogstens 100 dagen: %s tot %s"
#define M_LINE_FTE_RANGE "fte must be a number from 0 to 2: %s", "fte moet een getal van 0 tot 2 zijn: %s"
#define M_LINE_FTE_ABOVE_CONTRACT                                                                            \
  "the planned FTE of advisor '%s' over the lines in %s adds up to %s, above the contract's %s FTE",         \
      "de voorziene FTE van begeleider '%s' over de pijlers en projecten in %s telt op tot %s, meer dan "    \
      "de %s FTE van de aanstelling"
#define M_LIES_OUTSIDE_SCHOOL_YEAR "%s lies outside school year %s", "%s valt buiten schooljaar %s"
#define M_UNKNOWN_TRAJECTORY "unknown trajectory '%s'", "onbekend traject '%s'"
#define M_UNKNOWN_REGISTRATION "unknown registration '%s'", "onbekende registratie '%s'"
#define M_UNKNOWN_QUESTIONNAIRE "unknown questionnaire '%s'", "onbekende vragenlijst '%s'"
#define M_UNKNOWN_QUESTION                                                                                   \
  "unknown question '%s' of questionnaire '%s'", "onbekende vraag '%s' van vragenlijst '%s'"
#define M_UNKNOWN_SURVEY "unknown survey '%s'", "onbekende enquête '%s'"
#define M_STEP_RANGE                                                                                         \
  "step must be an integer from 1 to 100: %s", "stap moet een geheel getal van 1 tot 100 zijn: %s"
#define M_QUESTIONNAIRE_ANSWERED                                                                             \
  "questionnaire '%s' has answers; make a new version instead of changing it",                               \
      "vragenlijst '%s' heeft antwoorden; maak een nieuwe versie in plaats van ze te wijzigen"
#define M_SURVEY_NEEDS_ONE_SUBJECT                                                                           \
  "a survey belongs to a trajectory or a registration (one of the two)",                                     \
      "een enquête hoort bij een traject of bij een registratie (één van beide)"
#define M_SCORE_RANGE                                                                                        \
  "score must be an integer from 1 to 5: %s", "score moet een geheel getal van 1 tot 5 zijn: %s"
#define M_ANSWER_TYPE "question '%s' is of type %s: give %s", "vraag '%s' is van het type %s: geef %s"
#define M_MAX_ANSWERS_RANGE                                                                                  \
  "max_answers must be an integer from 1 to 1000: %s",                                                       \
      "max_answers moet een geheel getal van 1 tot 1000 zijn: %s"
#define M_RESPONSE_RANGE                                                                                     \
  "response must be an integer from 1 to max_answers (%s): %s",                                              \
      "response moet een geheel getal van 1 tot max_answers (%s) zijn: %s"
#define M_FOLLOWUP_REGISTRATION_OTHER                                                                        \
  "registration '%s' is linked to another trajectory", "registratie '%s' hoort bij een ander traject"
#define M_TOO_MANY_COLUMNS "too many columns", "te veel kolommen"
#define M_UNKNOWN_COLUMN "unknown column", "onbekende kolom"
#define M_COLUMN_APPEARS_TWICE "column appears twice", "kolom komt twee keer voor"
#define M_REQUIRED_COLUMN_MISSING "required column is missing", "verplichte kolom ontbreekt"
#define M_INSTITUTION_CANNOT_ITS_OWN_BOARD                                                                   \
  "an institution cannot be its own board", "een instelling kan niet haar eigen bestuur zijn"
#define M_ROW_HAS_CELLS_HEADER_HAS                                                                           \
  "the row has %zu cells, the header has %zu", "de rij heeft %zu cellen, de kopregel %zu"
#define M_CELL_FAULT "%s: '%s'", "%s: '%s'"
#define M_AS_IS "%s", "%s" /* a message made elsewhere in the import's language */
#define M_VALUE_REQUIRED "a value is required", "een waarde is verplicht"
#define M_DUPLICATE_KEY_ALREADY_LINE                                                                         \
  "duplicate key, already on line %lld", "dubbele sleutel, al op regel %lld"
#define M_FILE_EMPTY_HEADER_ROW_REQUIRED                                                                     \
  "the file is empty; a header row is required", "het bestand is leeg; een kopregel is verplicht"
#define M_MORE "... and %d more", "... en nog %d"
#define M_ADVISOR_WOULD_NO_LONGER_EMPLOYED                                                                   \
  "advisor '%s' would no longer be employed on the date of stored registration '%s'",                        \
      "begeleider '%s' zou niet meer in dienst zijn op de datum van bewaarde registratie '%s'"
#define M_GOAL_LEAVES_REGISTRATION_LINE                                                                      \
  "goal '%s' would move away from the line of stored registration '%s'",                                     \
      "operationeel doel '%s' zou niet meer bij de pijler of het project van bewaarde registratie '%s' "     \
      "horen"
#define M_GOAL_LEAVES_TRAJECTORY_LINE                                                                        \
  "goal '%s' would move away from the line of trajectory '%s'",                                              \
      "operationeel doel '%s' zou niet meer bij de pijler of het project van traject '%s' horen"
#define M_INSTITUTION_TRAJECTORY_NOT_AMONG_INSTITUTIONS                                                      \
  "the institution of trajectory '%s' is not among the institutions of stored registration '%s'",            \
      "de instelling van traject '%s' staat niet bij de instellingen van bewaarde registratie '%s'"
#define M_LINE_CANNOT_BECOME_KIND_OTHER                                                                      \
  "line '%s' cannot become of kind other: it has planned FTE in the plan of %s",                             \
      "pijler of project '%s' kan niet van het soort 'other' worden: er zijn voorziene FTE in het plan van " \
      "%s"

/* Every message as X("NAME", NAME), for the test of their conversions. */
#define IMPORT_MESSAGES(X)                                                                                   \
  X("M_UNKNOWN_VALUE_EXPECTED_ONE", M_UNKNOWN_VALUE_EXPECTED_ONE)                                            \
  X("M_CANNOT_NEGATIVE", M_CANNOT_NEGATIVE)                                                                  \
  X("M_END_DATE_LIES_BEFORE_START", M_END_DATE_LIES_BEFORE_START)                                            \
  X("M_SCHOOL_YEAR_LOCKED_ADMIN_MUST", M_SCHOOL_YEAR_LOCKED_ADMIN_MUST)                                      \
  X("M_MUST_GREATER_THAN", M_MUST_GREATER_THAN)                                                              \
  X("M_SCHOOL_YEAR_LOCKED_DATASET_CANNOT", M_SCHOOL_YEAR_LOCKED_DATASET_CANNOT)                              \
  X("M_RESERVED_FOR_TOTAL_ROW_REPORT", M_RESERVED_FOR_TOTAL_ROW_REPORT)                                      \
  X("M_UNKNOWN_LINE", M_UNKNOWN_LINE)                                                                        \
  X("M_OTHER_NO_PLANNED_FTE", M_OTHER_NO_PLANNED_FTE)                                                        \
  X("M_OTHER_NO_COLOURED_FTE", M_OTHER_NO_COLOURED_FTE)                                                      \
  X("M_RESERVED_FOR_ROW_REPORT", M_RESERVED_FOR_ROW_REPORT)                                                  \
  X("M_NUMBER_ANOTHER_INSTITUTION", M_NUMBER_ANOTHER_INSTITUTION)                                            \
  X("M_CODE_ANOTHER_INSTITUTION", M_CODE_ANOTHER_INSTITUTION)                                                \
  X("M_CODE_ALREADY_USED_BY_INSTITUTION", M_CODE_ALREADY_USED_BY_INSTITUTION)                                \
  X("M_UNKNOWN_SECTOR", M_UNKNOWN_SECTOR)                                                                    \
  X("M_UNKNOWN_TEAM", M_UNKNOWN_TEAM)                                                                        \
  X("M_TOTAL_RESERVED", M_TOTAL_RESERVED)                                                                    \
  X("M_UNKNOWN_TARGET_GROUP", M_UNKNOWN_TARGET_GROUP)                                                        \
  X("M_UNKNOWN_INSTITUTION", M_UNKNOWN_INSTITUTION)                                                          \
  X("M_UNKNOWN_GOAL", M_UNKNOWN_GOAL)                                                                        \
  X("M_GOAL_BELONGS_LINE_NOT", M_GOAL_BELONGS_LINE_NOT)                                                      \
  X("M_UNKNOWN_ADVISOR", M_UNKNOWN_ADVISOR)                                                                  \
  X("M_LIES_OUTSIDE_SCHOOL_YEAR", M_LIES_OUTSIDE_SCHOOL_YEAR)                                                \
  X("M_UNKNOWN_TRAJECTORY", M_UNKNOWN_TRAJECTORY)                                                            \
  X("M_UNKNOWN_REGISTRATION", M_UNKNOWN_REGISTRATION)                                                        \
  X("M_UNKNOWN_QUESTIONNAIRE", M_UNKNOWN_QUESTIONNAIRE)                                                      \
  X("M_UNKNOWN_QUESTION", M_UNKNOWN_QUESTION)                                                                \
  X("M_UNKNOWN_SURVEY", M_UNKNOWN_SURVEY)                                                                    \
  X("M_STEP_RANGE", M_STEP_RANGE)                                                                            \
  X("M_QUESTIONNAIRE_ANSWERED", M_QUESTIONNAIRE_ANSWERED)                                                    \
  X("M_SURVEY_NEEDS_ONE_SUBJECT", M_SURVEY_NEEDS_ONE_SUBJECT)                                                \
  X("M_SCORE_RANGE", M_SCORE_RANGE)                                                                          \
  X("M_ANSWER_TYPE", M_ANSWER_TYPE)                                                                          \
  X("M_MAX_ANSWERS_RANGE", M_MAX_ANSWERS_RANGE)                                                              \
  X("M_RESPONSE_RANGE", M_RESPONSE_RANGE)                                                                    \
  X("M_FOLLOWUP_REGISTRATION_OTHER", M_FOLLOWUP_REGISTRATION_OTHER)                                          \
  X("M_TOO_MANY_COLUMNS", M_TOO_MANY_COLUMNS)                                                                \
  X("M_UNKNOWN_COLUMN", M_UNKNOWN_COLUMN)                                                                    \
  X("M_COLUMN_APPEARS_TWICE", M_COLUMN_APPEARS_TWICE)                                                        \
  X("M_REQUIRED_COLUMN_MISSING", M_REQUIRED_COLUMN_MISSING)                                                  \
  X("M_INSTITUTION_CANNOT_ITS_OWN_BOARD", M_INSTITUTION_CANNOT_ITS_OWN_BOARD)                                \
  X("M_ROW_HAS_CELLS_HEADER_HAS", M_ROW_HAS_CELLS_HEADER_HAS)                                                \
  X("M_CELL_FAULT", M_CELL_FAULT)                                                                            \
  X("M_AS_IS", M_AS_IS)                                                                                      \
  X("M_VALUE_REQUIRED", M_VALUE_REQUIRED)                                                                    \
  X("M_DUPLICATE_KEY_ALREADY_LINE", M_DUPLICATE_KEY_ALREADY_LINE)                                            \
  X("M_FILE_EMPTY_HEADER_ROW_REQUIRED", M_FILE_EMPTY_HEADER_ROW_REQUIRED)                                    \
  X("M_MORE", M_MORE)                                                                                        \
  X("M_ADVISOR_WOULD_NO_LONGER_EMPLOYED", M_ADVISOR_WOULD_NO_LONGER_EMPLOYED)                                \
  X("M_GOAL_LEAVES_REGISTRATION_LINE", M_GOAL_LEAVES_REGISTRATION_LINE)                                      \
  X("M_GOAL_LEAVES_TRAJECTORY_LINE", M_GOAL_LEAVES_TRAJECTORY_LINE)                                          \
  X("M_INSTITUTION_TRAJECTORY_NOT_AMONG_INSTITUTIONS", M_INSTITUTION_TRAJECTORY_NOT_AMONG_INSTITUTIONS)      \
  X("M_LINE_CANNOT_BECOME_KIND_OTHER", M_LINE_CANNOT_BECOME_KIND_OTHER)                                      \
  X("M_HOLIDAY_TOO_LONG", M_HOLIDAY_TOO_LONG)                                                                \
  X("M_LINE_FTE_RANGE", M_LINE_FTE_RANGE)                                                                    \
  X("M_LINE_FTE_ABOVE_CONTRACT", M_LINE_FTE_ABOVE_CONTRACT)

#endif
