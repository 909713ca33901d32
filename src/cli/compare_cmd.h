/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik compare: outside contributors to the comparison of services (docs/SERVICES.md),
   a service on its own installation that sends its facts file. */
#ifndef BEREIK_COMPARE_CMD_H
#define BEREIK_COMPARE_CMD_H

#define COMPARE_CMD_ARGS                                                                                     \
  "share none|named|anonymous | publish | contribute FILE --name NAME [--anonymous] | withdraw --name NAME"
#define COMPARE_CMD_HELP                                                                                     \
  "share: the service's choice to share its indicators with the other services (--service); publish: "       \
  "publish its shared facts now; contribute: add (or replace) an outside service's facts, a facts file in "  \
  "CSV (bereik report --format "                                                                             \
  "csv) or JSON (--format json), to the comparison of this PostgreSQL installation; only the shared rows "   \
  "are kept (organisation, unit and line-kind level); withdraw: take them out again"

struct db;
/* open_db: bereik's opener of the database (global --db), without choosing a service. */
int cmd_compare(const char *path, int argc, char **argv, struct db *(*open_db)(const char *path));

#endif
