/* SPDX-License-Identifier: EUPL-1.2 */
/* The pages of the web application and what they share: the layout, the words in
   Dutch and English, CSRF tokens, error pages. One file per page. */
#ifndef BEREIK_PAGES_H
#define BEREIK_PAGES_H

#include "http/http.h"
#include "render/words.h"

/* Words on screen: T(r, W_key) in the request's language (nl-BE first, en second), from
   the one glossary (render/words.def). */
const char *T(const struct request *r, enum word w);
/* A word whose key is made at run time ("reason_" and a stored reason); the key itself
   when the glossary has none. */
const char *T_named(const struct request *r, const char *key);

/* The CSRF token forms of this request carry (may set the pre-session cookie). */
const char *csrf_token(const struct request *r, struct response *resp);
int csrf_ok(const struct request *r);
/* A hidden csrf field. */
void csrf_field(const struct request *r, struct response *resp);

void page_begin(const struct request *r, struct response *resp, const char *title);
void page_end(const struct request *r, struct response *resp);
/* The school-year filter: a GET form (it changes nothing) to ACTION?jaar=YYYY-YYYY. */
void year_filter(const struct request *r, struct response *resp, const char *action, const int *years, int n,
                 int year);
void page_error(const struct request *r, struct response *resp, int status);
/* The request's host names no service (resp->status 404) or a suspended one (503). */
void page_service_refused(struct request *r, struct response *resp);
/* Vergelijking (docs/SERVICES.md): GET the page, POST the admin's sharing choice. */
void page_compare(struct request *r, struct response *resp);
void page_compare_share(struct request *r, struct response *resp);
/* Diensten (docs/SERVICES.md): a platform service's admins list, add, suspend and resume
   services. */
void page_services(struct request *r, struct response *resp);
void page_services_add(struct request *r, struct response *resp);
void page_services_status(struct request *r, struct response *resp);

/* Belgian number formatting for screens: 12.725 / 0,55 / 56%. */
void fmt_be(double v, int decimals, char *out, size_t n);
void fmt_pct(double fraction, int decimals, char *out, size_t n);
/* "7 okt. 2024" (nl) or "7 Oct 2024" (en). */
void fmt_date_text(const struct request *r, int32_t day, char *out, size_t n);

void page_login_get(struct request *r, struct response *resp);
void page_login_post(struct request *r, struct response *resp);
void page_logout(struct request *r, struct response *resp);
void page_oidc_start(struct request *r, struct response *resp);
void page_oidc_callback(struct request *r, struct response *resp);
void page_home(struct request *r, struct response *resp);
/* An institution's reach status, with the missing conditions (facts.h enum reach_missing). */
void reach_status(const struct request *r, struct buf *b, int reached, int missing);
void page_trajectory_get(struct request *r, struct response *resp);
void page_trajectory_post(struct request *r, struct response *resp);
void page_trajectory_followup(struct request *r, struct response *resp);
void page_trajectory_phase(struct request *r, struct response *resp);
void page_survey_form(struct request *r, struct response *resp);
void page_survey_answer(struct request *r, struct response *resp);
void page_surveys(struct request *r, struct response *resp);
void page_survey_create(struct request *r, struct response *resp);
void page_survey_qr(struct request *r, struct response *resp);
void page_language(struct request *r, struct response *resp);
void page_healthz(struct request *r, struct response *resp);
/* GET /static/{file}: the embedded static files (render/assets.h) */
void page_static(struct request *r, struct response *resp);
void page_dashboard(struct request *r, struct response *resp);
void page_week(struct request *r, struct response *resp);
/* Mijn week: search one's own registrations; copy a day or a week (page_week_*.c). */
void page_week_search(struct request *r, struct response *resp);
void page_week_copy(struct request *r, struct response *resp);
void page_report(struct request *r, struct response *resp);
void page_report_xlsx(struct request *r, struct response *resp);
void page_report_pdf(struct request *r, struct response *resp);
void page_report_html(struct request *r, struct response *resp);
void page_report_csv(struct request *r, struct response *resp);
void page_trajectories(struct request *r, struct response *resp);
/* Datakwaliteit (docs/QUALITY.md). */
void page_quality(struct request *r, struct response *resp);
void page_admin(struct request *r, struct response *resp);
void page_admin_year(struct request *r, struct response *resp);
void page_audit(struct request *r, struct response *resp);
void page_admin_export(struct request *r, struct response *resp);
void page_admin_import(struct request *r, struct response *resp);
void page_users(struct request *r, struct response *resp);
void page_users_add(struct request *r, struct response *resp);
void page_users_active(struct request *r, struct response *resp);
void page_data_list(struct request *r, struct response *resp);
void page_data_row_get(struct request *r, struct response *resp);
void page_data_row_post(struct request *r, struct response *resp);
void page_data_row_delete(struct request *r, struct response *resp);
void page_institution_search(struct request *r, struct response *resp);
void page_register_get(struct request *r, struct response *resp);
void page_register_post(struct request *r, struct response *resp);
void page_registration_get(struct request *r, struct response *resp);
void page_registration_post(struct request *r, struct response *resp);
void page_registration_delete(struct request *r, struct response *resp);
/* the registration form's second delete step, undo and favourites (page_register.c) */
void page_registration_delete_confirm(struct request *r, struct response *resp);
void page_registration_undo(struct request *r, struct response *resp);
void page_register_favourite_save(struct request *r, struct response *resp);
void page_register_favourite_delete(struct request *r, struct response *resp);
void page_tokens(struct request *r, struct response *resp);
void page_tokens_create(struct request *r, struct response *resp);
void page_tokens_revoke(struct request *r, struct response *resp);
/* Own account (page_account.c): password, second factor, sessions. */
void page_account(struct request *r, struct response *resp);
void page_account_password(struct request *r, struct response *resp);
void page_account_totp(struct request *r, struct response *resp);
void page_account_session_end(struct request *r, struct response *resp);
void page_account_sessions_end_others(struct request *r, struct response *resp);
/* E-mail preferences (docs/MAIL.md): address, reminders, reports, language. */
void page_account_mail(struct request *r, struct response *resp);
void page_login_totp(struct request *r, struct response *resp);
/* The second-factor setup page: a new pending secret for the user, its QR code, a
   field for the first code. ticket: the login's setup ticket (no session yet), or NULL
   on the account page. error: a message beside the code field, or NULL. */
void totp_setup_page(struct request *r, struct response *resp, int64_t user_id, const char *ticket,
                     const char *error);
/* The cookies of a successful login (page_login.c). */
void login_cookies(struct request *r, struct response *resp, const char *sid, const char *device);
void page_users_password(struct request *r, struct response *resp);
void page_users_totp_rules(struct request *r, struct response *resp);
/* The surveys of trajectory traj (model index) on its page: each with its answers and a
   link to its results, and a form to make one (page_survey.c). */
/* Offline registration, the installable app and the timer (page_offline.c). */
void page_service_worker(struct request *r, struct response *resp);
void page_register_sync(struct request *r, struct response *resp);
void page_timer_start(struct request *r, struct response *resp);
void page_timer_stop(struct request *r, struct response *resp);
/* In the page frame: the count of registrations waiting on the device (header), and the
   offline note, the timer and, on Registreren, the waiting list (below the title). */
void offline_header(const struct request *r, struct response *resp);
void offline_bar(const struct request *r, struct response *resp);
struct model;
void surveys_section(struct request *r, struct response *resp, const struct model *m, int traj);

#endif
