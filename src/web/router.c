/* SPDX-License-Identifier: EUPL-1.2 */
#include "web/router.h"

#include <string.h>

#include "web/pages/pages.h"

const struct route routes[] = {
    {"GET", "/", ROLE_ADVISOR, page_home},
    {"GET", "/login", ROLE_PUBLIC, page_login_get},
    {"POST", "/login", ROLE_PUBLIC, page_login_post},
    {"POST", "/logout", ROLE_ADVISOR, page_logout},
    {"POST", "/taal", ROLE_PUBLIC, page_language},
    {"GET", "/healthz", ROLE_PUBLIC, page_healthz},
    {"GET", "/static/app.css", ROLE_PUBLIC, page_static_css},
    {"GET", "/static/app.js", ROLE_PUBLIC, page_static_js},
    {"GET", "/dashboard", ROLE_ADVISOR, page_dashboard},
    {"GET", "/week", ROLE_ADVISOR, page_week},
    {"GET", "/rapport", ROLE_DIRECTOR, page_report},
    {"GET", "/rapport/xlsx", ROLE_DIRECTOR, page_report_xlsx},
    {"GET", "/rapport/pdf", ROLE_DIRECTOR, page_report_pdf},
    {"GET", "/rapport/html", ROLE_DIRECTOR, page_report_html},
    {"GET", "/rapport/csv", ROLE_DIRECTOR, page_report_csv},
    {"GET", "/trajecten", ROLE_ADVISOR, page_trajectories},
    {"GET", "/instellingen", ROLE_ADVISOR, page_institution_search},
    {"GET", "/beheer", ROLE_ADMIN, page_admin},
    {"POST", "/beheer/schooljaar", ROLE_ADMIN, page_admin_year},
    {"GET", "/audit", ROLE_ADMIN, page_audit},
    {"GET", "/beheer/export", ROLE_ADMIN, page_admin_export},
    {"POST", "/beheer/import", ROLE_ADMIN, page_admin_import},
    {"GET", "/beheer/gebruikers", ROLE_ADMIN, page_users},
    {"POST", "/beheer/gebruikers", ROLE_ADMIN, page_users_add},
    {"POST", "/beheer/gebruikers/actief", ROLE_ADMIN, page_users_active},
    {"GET", "/beheer/gegevens", ROLE_ADMIN, page_data_list},
    {"GET", "/beheer/rij", ROLE_ADMIN, page_data_row_get},
    {"POST", "/beheer/rij", ROLE_ADMIN, page_data_row_post},
    {"POST", "/beheer/rij/verwijder", ROLE_ADMIN, page_data_row_delete},
    {"GET", "/registreren", ROLE_ADVISOR, page_register_get},
    {"POST", "/registreren", ROLE_ADVISOR, page_register_post},
    {"GET", "/registratie", ROLE_ADVISOR, page_registration_get},
    {"POST", "/registratie", ROLE_ADVISOR, page_registration_post},
    {"POST", "/registratie/verwijder", ROLE_ADVISOR, page_registration_delete},
    {"GET", "/api-sleutels", ROLE_ADVISOR, page_tokens},
    {"POST", "/api-sleutels", ROLE_ADVISOR, page_tokens_create},
    {"POST", "/api-sleutels/intrekken", ROLE_ADVISOR, page_tokens_revoke},
    {"GET", "/mijn-account", ROLE_ADVISOR, page_account},
    {"POST", "/mijn-account/wachtwoord", ROLE_ADVISOR, page_account_password},
    {"POST", "/mijn-account/tweede-factor", ROLE_ADVISOR, page_account_totp},
    {"POST", "/mijn-account/sessie/beeindig", ROLE_ADVISOR, page_account_session_end},
    {"POST", "/mijn-account/sessies/andere", ROLE_ADVISOR, page_account_sessions_end_others},
    {"POST", "/login/tweede-factor", ROLE_PUBLIC, page_login_totp},
    {"POST", "/beheer/gebruikers/wachtwoord", ROLE_ADMIN, page_users_password},
    {"POST", "/beheer/gebruikers/tweede-factor", ROLE_ADMIN, page_users_totp_rules},
};
const int n_routes = (int)(sizeof routes / sizeof routes[0]);

const struct route *route_find(const char *method, const char *path, int *path_known) {
  *path_known = 0;
  for (int i = 0; i < n_routes; i++) {
    if (strcmp(routes[i].path, path)) continue;
    *path_known = 1;
    if (!strcmp(routes[i].method, method) || (!strcmp(method, "HEAD") && !strcmp(routes[i].method, "GET")))
      return &routes[i];
  }
  return NULL;
}
