/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik oidc: the organisation's provider (docs/DEPLOYMENT.md, section 9). */
#ifndef BEREIK_OIDC_CMD_H
#define BEREIK_OIDC_CMD_H

/* The usage of the command, for bereik's command table. */
#define OIDC_CMD_ARGS                                                                                        \
  "check --config FILE | link LOGIN VALUE | unlink LOGIN | pending | approve LOGIN [--role ROLE] "           \
  "[--advisor CODE]"
#define OIDC_CMD_HELP                                                                                        \
  "check: read the provider's discovery document and keys as the configuration file's oidc-* keys say, and " \
  "print them; link: let the provider account whose linking claim (oidc-claim) is VALUE sign in as LOGIN; "  \
  "unlink; pending: the accounts a first sign-in made (oidc-unknown = approve); approve: switch one on"

struct db;
/* path: the database (global --db), opened and its schema checked by open_db (bereik's
   one opener, which says what is wrong). */
int cmd_oidc(const char *path, int argc, char **argv, struct db *(*open_db)(const char *path));

#endif
