/* SPDX-License-Identifier: EUPL-1.2 */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/dates.h"
#include "render/chart.h"
#include "render/html.h"
#include "web/pages/pages.h"

struct word {
  const char *key, *nl, *en;
};

static const struct word words[] = {
    {"app", "bereik", "bereik"},
    {"login", "Aanmelden", "Log in"},
    {"logout", "Afmelden", "Log out"},
    {"login_name", "Gebruikersnaam", "User name"},
    {"password", "Wachtwoord", "Password"},
    {"login_bad", "Gebruikersnaam of wachtwoord klopt niet.", "User name or password is wrong."},
    {"login_throttled", "Te veel mislukte pogingen. Wacht even en probeer het dan opnieuw.",
     "Too many failed attempts. Wait a while, then try again."},
    {"demo_totp_off", "Demodatabank: de tweede factor (TOTP) voor beheerders staat uit.",
     "Demo database: the second factor (TOTP) for admins is switched off."},
    {"nav_register", "Registreren", "Register"},
    {"nav_week", "Mijn week", "My week"},
    {"nav_dashboard", "Dashboard", "Dashboard"},
    {"language", "Taal", "Language"},
    {"switch_lang", "English", "Nederlands"},
    {"schoolyear", "Schooljaar", "School year"},
    {"show", "Toon", "Show"},
    {"ind1", "FTE-realisatie", "FTE realisation"},
    {"ind2", "Bereik van instellingen", "Reach of institutions"},
    {"ind3", "Klasvloercontext (KLV%)", "Classroom context (KLV%)"},
    {"ind4", "Bereik per doelgroep", "Reach per target group"},
    {"target", "Doel", "Target"},
    {"actual", "Werkelijk", "Actual"},
    {"prorata", "Doel tot vandaag", "Target to date"},
    {"status", "Status", "Status"},
    {"on_track", "op koers", "on track"},
    {"watch", "let op", "watch"},
    {"behind", "achter", "behind"},
    {"no_data", "geen gegevens", "no data"},
    {"per_line", "Per pijler en project", "Per pillar and project"},
    {"per_team", "Per team", "Per team"},
    {"per_unit", "Organisatie en eenheden", "Organisation and units"},
    {"unit", "Eenheid", "Unit"},
    {"organisation", "Organisatie (PBD + POC)", "Organisation (PBD + POC)"},
    {"per_advisor", "Per begeleider", "Per advisor"},
    {"line", "Pijler / project", "Pillar / project"},
    {"planned_fte", "Voorziene FTE", "Planned FTE"},
    {"realized_fte", "Gerealiseerde FTE", "Realised FTE"},
    {"fte_hours", "FTE-uren", "FTE hours"},
    {"klv_hours", "Uren klasvloer", "Classroom hours"},
    {"client_hours", "Uren klantcontact", "Client-contact hours"},
    {"registered_hours", "Geregistreerde uren", "Registered hours"},
    {"klv_pct", "KLV%", "KLV%"},
    {"team", "Team", "Team"},
    {"advisor", "Begeleider", "Advisor"},
    {"institutions", "Instellingen", "Institutions"},
    {"reached", "Bereikt", "Reached"},
    {"target_group", "Doelgroep", "Target group"},
    {"reach", "Bereik", "Reach"},
    {"week_of", "Week van", "Week of"},
    {"prev_week", "Vorige week", "Previous week"},
    {"next_week", "Volgende week", "Next week"},
    {"total", "Totaal", "Total"},
    {"nothing_registered", "Niets geregistreerd op deze werkdag.", "Nothing registered on this working day."},
    {"week_klv", "Klasvloercontext deze week (van geregistreerde tijd)",
     "Classroom context this week (of registered time)"},
    {"year_klv", "KLV% schooljaar tot vandaag (van FTE-uren)", "KLV% school year to date (of FTE hours)"},
    {"norm", "norm 60%", "norm 60%"},
    {"no_advisor", "Deze account is niet aan een begeleider gekoppeld.",
     "This account is not linked to an advisor."},
    {"client", "klantcontact", "client contact"},
    {"internal", "interne tijd", "internal time"},
    {"minutes", "Duur", "Duration"},
    {"description", "Korte omschrijving", "Short description"},
    {"err400", "Het verzoek is onleesbaar.", "The request cannot be read."},
    {"err403", "Geen toegang tot deze pagina of actie.", "You have no access to this page or action."},
    {"err404", "Deze pagina bestaat niet.", "This page does not exist."},
    {"err405", "Deze actie is hier niet mogelijk.", "This action is not possible here."},
    {"err413", "Het verzoek is te groot.", "The request is too large."},
    {"err500", "Er ging iets mis. Probeer het opnieuw.", "Something went wrong. Please try again."},
    {"err503", "De server is even te druk. Probeer het zo opnieuw.",
     "The server is too busy right now. Please try again shortly."},
    {"mon", "maandag", "Monday"},
    {"tue", "dinsdag", "Tuesday"},
    {"wed", "woensdag", "Wednesday"},
    {"thu", "donderdag", "Thursday"},
    {"fri", "vrijdag", "Friday"},
    {"sat", "zaterdag", "Saturday"},
    {"sun", "zondag", "Sunday"},
    {"skip", "Naar de inhoud", "Skip to content"},
    {"kind", "Soort", "Kind"},
    {"hits", "Hits", "Hits"},
    {"totp_code", "Code van de tweede factor (indien ingesteld)", "Second-factor code (when set up)"},
    {"login_need_code", "Geef de zescijferige code van je authenticator-app.",
     "Enter the six-digit code of your authenticator app."},
    {"login_need_setup", "Voor jouw rol is een tweede factor verplicht. Stel die nu in om verder te gaan.",
     "Your role requires a second factor. Set it up now to continue."},
    {"nav_trajectories", "Trajecten", "Trajectories"},
    {"status_planned", "gepland", "planned"},
    {"status_active", "actief", "active"},
    {"status_closed", "afgesloten", "closed"},
    {"rule_hours", "minstens 20 uur klantcontact binnen één traject",
     "at least 20 client hours within one trajectory"},
    {"rule_contact", "minstens één hit in het schooljaar", "at least one hit in the school year"},
    {"rule_trajectory", "een actief traject (MESO/MICRO, gedeeld doel, actieplan) met opvolging",
     "an active trajectory (MESO/MICRO, shared goal, action plan) with follow-up"},
    {"counts_reached", "telt als bereikt", "counts as reached"},
    {"not_reached", "nog niet bereikt", "not reached yet"},
    {"shared_goal", "Gedeeld doel", "Shared goal"},
    {"action_plan", "Actieplan (timing, rollen, verwachte resultaten)",
     "Action plan (timing, roles, expected results)"},
    {"linked", "Gekoppelde registraties / met opvolging", "Linked registrations / with follow-up"},
    {"nav_admin", "Beheer", "Administration"},
    {"nav_users", "Gebruikers", "Users"},
    {"nav_tokens", "API-sleutels", "API tokens"},
    {"token_label", "Omschrijving", "Label"},
    {"token_created", "Gemaakt", "Created"},
    {"token_expires", "Vervalt", "Expires"},
    {"token_used", "Laatst gebruikt", "Last used"},
    {"token_active", "actief", "active"},
    {"token_expired", "vervallen", "expired"},
    {"token_revoked", "ingetrokken", "revoked"},
    {"token_revoke", "Intrekken", "Revoke"},
    {"token_new", "Nieuwe API-sleutel", "New API token"},
    {"token_create", "Maak sleutel", "Create token"},
    {"token_once",
     "Kopieer deze sleutel nu: hij wordt maar één keer getoond. Gebruik hem als Authorization: Bearer.",
     "Copy this token now: it is shown only once. Use it as Authorization: Bearer."},
    {"token_help",
     "Een sleutel geeft een ander programma dezelfde rechten als jouw account (zie docs/API.md).",
     "A token gives another program the same rights as your account (see docs/API.md)."},
    {"token_need_label", "Geef een omschrijving van 1 tot 100 tekens.",
     "Give a label of 1 to 100 characters."},
    {"token_bad_date", "Geef een vervaldatum in de toekomst (JJJJ-MM-DD).",
     "Give an expiry date in the future (YYYY-MM-DD)."},
    {"import_dataset", "Dataset importeren", "Import a dataset"},
    {"import_hint",
     "Kies een of meer CSV-bestanden van het datasetformaat (registrations.csv, institutions.csv, ...). "
     "Alles of niets: bij één fout wordt niets geïmporteerd.",
     "Choose one or more CSV files of the dataset format (registrations.csv, institutions.csv, ...). All or "
     "nothing: "
     "with one error, nothing is imported."},
    {"csv_files", "CSV-bestanden", "CSV files"},
    {"import", "Importeer", "Import"},
    {"import_done", "Geïmporteerd.", "Imported."},
    {"import_refused", "Niets geïmporteerd: verbeter de fouten hieronder (bestand:regel: kolom: melding).",
     "Nothing was imported: correct the errors below (file:line: column: message)."},
    {"import_no_files", "Geen bestand van het datasetformaat gevonden.",
     "No file of the dataset format found."},
    {"role", "Rol", "Role"},
    {"second_factor", "Tweede factor", "Second factor"},
    {"action", "Actie", "Action"},
    {"yes", "ja", "yes"},
    {"no", "nee", "no"},
    {"active", "actief", "active"},
    {"inactive", "uitgeschakeld", "switched off"},
    {"institution_search", "Instellingen zoeken", "Find institutions"},
    {"search_by", "Code, naam of nummer", "Code, name or number"},
    {"number", "Nummer", "Number"},
    {"name", "Naam", "Name"},
    {"find_institution", "Een instelling zoeken op naam of nummer", "Find an institution by name or number"},
    {"token_none", "Je hebt nog geen API-sleutels.", "You have no API tokens yet."},
    {"week_of_advisor", "Week van", "Week of"},
    {"reference_data", "Referentiegegevens", "Reference data"},
    {"new_row", "Nieuw", "New"},
    {"deleted", "Verwijderd:", "Deleted:"},
    {"search", "Zoek", "Search"},
    {"delete_hint",
     "Verwijderen kan alleen als niets meer naar deze rij verwijst; zet anders een instelling op "
     "niet actief of geef een begeleider een einddatum.",
     "Deleting is only possible when nothing refers to this row any more; otherwise set an institution to "
     "inactive or give an advisor an end date."},
    {"delete_locked", "hoort bij een afgesloten schooljaar en kan niet verwijderd worden.",
     "belongs to a locked school year and cannot be deleted."},
    {"delete_in_use",
     "is nog in gebruik (registraties, trajecten, teams, plan ...) en kan niet verwijderd worden.",
     "is still in use (registrations, trajectories, teams, plan ...) and cannot be deleted."},
    {"key_exists", "bestaat al; open de bestaande rij om ze te wijzigen.",
     "already exists; open the existing row to change it."},
    {"activate", "Schakel in:", "Switch on:"},
    {"deactivate", "Schakel uit:", "Switch off:"},
    {"add_user", "Gebruiker toevoegen", "Add a user"},
    {"advisor_code", "Code van de begeleider (optioneel)", "Advisor code (optional)"},
    {"not_yourself", "Je kan je eigen account niet uitschakelen.", "You cannot switch off your own account."},
    {"chart_klv_week", "Klasvloercontext per week (van geregistreerde tijd)",
     "Classroom context per week (of registered time)"},
    {"chart_fte", "Gerealiseerde tegenover voorziene FTE per pijler en project",
     "Realised against planned FTE per pillar and project"},
    {"norm_label", "norm", "norm"},
    {"floor_label", "ondergrens overheid", "government floor"},
    {"as_table", "Als tabel", "As a table"},
    {"export_dataset", "Dataset downloaden (CSV-bestanden)", "Download the dataset (CSV files)"},
    {"nav_audit", "Audit", "Audit"},
    {"schoolyears", "Schooljaren", "School years"},
    {"hours_per_fte", "Uren per FTE", "Hours per FTE"},
    {"reach_rule", "Regel bereik", "Reach rule"},
    {"locked", "afgesloten schooljaar", "locked year"},
    {"open", "open", "open"},
    {"lock", "Sluit af:", "Lock:"},
    {"reopen", "Heropen:", "Reopen:"},
    {"audit_latest", "De laatste 200 wijzigingen", "The latest 200 changes"},
    {"when", "Wanneer", "When"},
    {"who", "Wie", "Who"},
    {"what", "Wat", "What"},
    {"object", "Object", "Object"},
    {"before", "Voor", "Before"},
    {"after", "Na", "After"},
    {"nav_report", "Rapport", "Report"},
    {"coloured_fte", "Gekleurde middelen", "Coloured funds"},
    {"hours", "Uren", "Hours"},
    {"share", "Aandeel", "Share"},
    {"downloads", "Downloaden", "Download"},
    {"edit_registration", "Registratie wijzigen", "Edit registration"},
    {"delete", "Verwijder", "Delete"},
    {"edit", "wijzig", "edit"},
    {"err409", "Dit schooljaar is afgesloten.", "This school year is locked."},
    {"err429", "Te veel registraties kort na elkaar bewaard; probeer het over een minuut opnieuw.",
     "Too many registrations saved in a short time; try again in a minute."},
    {"date", "Datum", "Date"},
    {"duration", "Duur (minuten of 1u30)", "Duration (minutes or 1u30)"},
    {"goal", "Operationeel doel (OD)", "Operational goal"},
    {"institutions_hint", "Code, naam of instellingsnummer; meerdere gescheiden door een komma.",
     "Code, name or institution number; several separated by commas."},
    {"modality", "Modaliteit", "Modality"},
    {"trajectory", "Begeleidingstraject", "Guidance trajectory"},
    {"level", "Niveau", "Level"},
    {"followup", "Opvolging", "Follow-up"},
    {"counts", "Bereikte doelgroepen (aantallen)", "Target groups reached (head counts)"},
    {"co_advisors", "Mede-begeleiders", "Co-advisors"},
    {"activity", "Activiteit", "Activity"},
    /* own account, second factor, sessions, password rules (issue 13) */
    {"nav_account", "Mijn account", "My account"},
    {"account_password", "Wachtwoord wijzigen", "Change password"},
    {"password_current", "Huidig wachtwoord", "Current password"},
    {"password_new", "Nieuw wachtwoord", "New password"},
    {"password_repeat", "Herhaal het nieuwe wachtwoord", "Repeat the new password"},
    {"password_help", "Minstens 12 tekens. Een zin van enkele woorden is sterk en makkelijk te onthouden.",
     "At least 12 characters. A sentence of a few words is strong and easy to remember."},
    {"password_save", "Wachtwoord opslaan", "Save password"},
    {"pw_current_wrong", "Het huidige wachtwoord klopt niet.", "The current password is wrong."},
    {"pw_too_short", "Te kort: minstens 12 tekens.", "Too short: at least 12 characters."},
    {"pw_too_long", "Te lang: hoogstens 128 tekens.", "Too long: at most 128 characters."},
    {"pw_not_utf8", "Bevat ongeldige tekens.", "Contains invalid characters."},
    {"pw_weak", "Te makkelijk te raden: een woord uit het woordenboek, een patroon of de gebruikersnaam.",
     "Too easy to guess: a dictionary word, a pattern or the user name."},
    {"pw_mismatch", "De twee nieuwe wachtwoorden verschillen.", "The two new passwords differ."},
    {"pw_changed", "Je wachtwoord is gewijzigd. Je andere sessies zijn beëindigd.",
     "Your password has been changed. Your other sessions have ended."},
    {"totp_title", "Tweede factor (authenticator-app)", "Second factor (authenticator app)"},
    {"totp_status_on", "Je account gebruikt een tweede factor.", "Your account uses a second factor."},
    {"totp_status_off", "Je account heeft nog geen tweede factor.", "Your account has no second factor yet."},
    {"recovery_left", "Ongebruikte herstelcodes", "Unused recovery codes"},
    {"totp_setup", "Tweede factor instellen", "Set up a second factor"},
    {"totp_renew", "Nieuwe sleutel en herstelcodes maken", "Make a new key and recovery codes"},
    {"totp_scan",
     "Scan de QR-code met je authenticator-app (bijvoorbeeld FreeOTP, Aegis of Google Authenticator) of typ "
     "de "
     "sleutel over. Vul daarna de zescijferige code in die de app toont.",
     "Scan the QR code with your authenticator app (for example FreeOTP, Aegis or Google Authenticator) or "
     "type "
     "the key. Then enter the six-digit code the app shows."},
    {"totp_key", "Sleutel", "Key"},
    {"totp_new_code", "Zescijferige code", "Six-digit code"},
    {"totp_confirm", "Bevestigen", "Confirm"},
    {"totp_code_wrong", "Die code klopt niet. Vul de code in die de app nu toont.",
     "That code is wrong. Enter the code the app shows now."},
    {"qr_label", "QR-code voor de authenticator-app", "QR code for the authenticator app"},
    {"recovery_title", "Herstelcodes", "Recovery codes"},
    {"recovery_help",
     "Bewaar deze codes op een veilige plek: ze worden maar één keer getoond. Elke code werkt één keer, in "
     "plaats van de zescijferige code, als je je telefoon kwijt bent.",
     "Keep these codes in a safe place: they are shown only once. Each works once, instead of the six-digit "
     "code, if you lose your phone."},
    {"totp_done", "De tweede factor is ingesteld.", "The second factor is set up."},
    {"continue", "Verder", "Continue"},
    {"sessions_title", "Sessies", "Sessions"},
    {"login_busy", "Het is even erg druk. Probeer het binnen enkele seconden opnieuw.",
     "The service is very busy. Try again in a few seconds."},
    {"sessions_caption", "Waar je nu aangemeld bent", "Where you are logged in now"},
    {"roles", "Rollen", "Roles"},
    {"session_created", "Begonnen", "Started"},
    {"session_seen", "Laatst actief", "Last active"},
    {"session_addr", "Adres", "Address"},
    {"session_current", "deze sessie", "this session"},
    {"session_end", "Beëindigen", "End"},
    {"sessions_end_others", "Alle andere sessies beëindigen", "End all other sessions"},
    {"sessions_ended", "Beëindigde sessies", "Sessions ended"},
    {"totp_required_title", "Tweede factor verplicht voor", "Second factor required for"},
    {"totp_required_saved", "De regels voor de tweede factor zijn bewaard.",
     "The second-factor rules are saved."},
    {"reset_password", "Wachtwoord opnieuw instellen", "Reset password"},
    {"pw_reset_done", "Het wachtwoord is opnieuw ingesteld; de sessies van die gebruiker zijn beëindigd.",
     "The password has been reset; that user's sessions have ended."},
    {"unknown_login", "Onbekende gebruikersnaam.", "Unknown user name."},
    {"failed_logins", "Mislukte aanmeldingen (laatste 100)", "Failed logins (latest 100)"},
    {"reason", "Reden", "Reason"},
    {"reason_password", "fout wachtwoord", "wrong password"},
    {"reason_unknown_login", "onbekende gebruikersnaam", "unknown user name"},
    {"reason_code", "foute code", "wrong code"},
    {"reason_code_reused", "code al gebruikt", "code already used"},
    {"reason_recovery_code", "foute herstelcode", "wrong recovery code"},
    {"login_setup_expired", "De tijd om de tweede factor in te stellen is verstreken. Meld je opnieuw aan.",
     "The time to set up the second factor has run out. Log in again."},
    {"save", "Bewaar", "Save"},
    {"recent", "Recente registraties", "Recent registrations"},
    {"repeat", "Herhaal", "Repeat"},
    {"saved", "Bewaard:", "Saved:"},
    {"today_total", "vandaag in totaal", "today in total"},
    {"form_has_errors", "Niet bewaard: verbeter de velden hieronder.",
     "Not saved: please correct the fields below."},
    {"mod_fysiek", "Fysiek", "In person"},
    {"mod_online", "Online", "Online"},
    {"mod_hybride", "Hybride", "Hybrid"},
    {"mod_helpdesk", "Helpdesk op afstand", "Remote helpdesk"},
    {"mod_walk", "Walk", "Walk"},
    {"mod_klasbezoek", "Klasbezoek", "Class visit"},
    {"act_preparation", "Voorbereiding", "Preparation"},
    {"act_follow_up", "Nawerking/opvolging", "Follow-up work"},
    {"act_self_study", "Zelfstudie", "Self-study"},
    {"act_internal_meeting", "Intern overleg", "Internal meeting"},
    {"act_professional_development", "Professionalisering", "Professional development"},
    {"act_quality", "Kwaliteitszorg", "Quality work"},
    {"act_other", "Andere", "Other"},
};

const char *T(const struct request *r, const char *key) {
  int en = r->lang && !strcmp(r->lang, "en");
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (!strcmp(words[i].key, key)) return en ? words[i].en : words[i].nl;
  return key;
}

const char *csrf_token(const struct request *r, struct response *resp) {
  if (r->logged_in) return r->user.csrf;
  if (r->pre_cookie && strlen(r->pre_cookie) == 64) return r->pre_cookie;
  if (!resp->pre_token[0]) { /* one token per response, however many forms */
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(resp->pre_token, sizeof resp->pre_token, raw, sizeof raw);
    resp_cookie(resp, r, COOKIE_NAME(r->https, COOKIE_PRE), resp->pre_token, -1);
  }
  return resp->pre_token;
}

int csrf_ok(const struct request *r) {
  const char *want = r->logged_in ? r->user.csrf : r->pre_cookie;
  const char *got = req_form(r, "csrf");
  if (!want || !got || strlen(want) != 64 || strlen(got) != 64) return 0;
  return sodium_memcmp(want, got, 64) == 0;
}

void csrf_field(const struct request *r, struct response *resp) {
  const char *t = csrf_token(r, resp);
  html_raw(&resp->body, "<input type=\"hidden\" name=\"csrf\" value=\"");
  html_attr(&resp->body, t);
  html_raw(&resp->body, "\">");
}

static void nav_link(const struct request *r, struct buf *b, const char *path, const char *key) {
  html_raw(b, "<a href=\"");
  html_attr(b, path);
  html_raw(b, "\"");
  if (!strcmp(r->path, path)) html_raw(b, " aria-current=\"page\"");
  html_raw(b, ">");
  html_text(b, T(r, key));
  html_raw(b, "</a>");
}

void page_begin(const struct request *r, struct response *resp, const char *title) {
  struct buf *b = &resp->body;
  int en = r->lang && !strcmp(r->lang, "en");
  html_raw(b, en ? "<!doctype html>\n<html lang=\"en\">" : "<!doctype html>\n<html lang=\"nl-BE\">");
  html_raw(
      b,
      "<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>");
  html_text(b, title);
  html_raw(b, " · bereik</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
              "<script src=\"/static/app.js\" defer></script></head><body>");
  html_raw(b, "<a class=\"skip\" href=\"#main\">");
  html_text(b, T(r, "skip"));
  html_raw(b, "</a><header><span class=\"brand\">bereik</span>");
  if (r->logged_in) {
    html_raw(b, "<nav aria-label=\"menu\">");
    nav_link(r, b, "/registreren", "nav_register");
    nav_link(r, b, "/week", "nav_week");
    nav_link(r, b, "/dashboard", "nav_dashboard");
    nav_link(r, b, "/trajecten", "nav_trajectories");
    if (r->user.role >= ROLE_DIRECTOR) nav_link(r, b, "/rapport", "nav_report");
    if (r->user.role >= ROLE_ADMIN) nav_link(r, b, "/beheer", "nav_admin");
    nav_link(r, b, "/api-sleutels", "nav_tokens");
    nav_link(r, b, "/mijn-account", "nav_account");
    html_raw(b, "</nav>");
  }
  html_raw(b, "<form class=\"lang\" method=\"post\" action=\"/taal\">");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"lang\" value=\"");
  html_attr(b, en ? "nl" : "en");
  html_raw(b, "\"><input type=\"hidden\" name=\"next\" value=\"");
  html_attr(b, r->path);
  html_raw(b, "\"><button type=\"submit\" lang=\"");
  html_attr(b, en ? "nl-BE" : "en");
  html_raw(b, "\">");
  html_text(b, T(r, "switch_lang"));
  html_raw(b, "</button></form>");
  if (r->logged_in) {
    html_raw(b, "<form class=\"logout\" method=\"post\" action=\"/logout\">");
    csrf_field(r, resp);
    html_raw(b, "<button type=\"submit\">");
    html_text(b, T(r, "logout"));
    html_raw(b, " (");
    html_text(b, r->user.login);
    html_raw(b, ")</button></form>");
  }
  html_raw(b, "</header><main id=\"main\"><h1>");
  html_text(b, title);
  html_raw(b, "</h1>");
}

void year_filter(const struct request *r, struct response *resp, const char *action, const int *years, int n,
                 int year) {
  struct buf *b = &resp->body;
  html_raw(b, "<form method=\"get\" action=\"");
  html_attr(b, action);
  html_raw(b, "\" class=\"filters\"><label for=\"jaar\">");
  html_text(b, T(r, "schoolyear"));
  html_raw(b, "</label><select id=\"jaar\" name=\"jaar\">");
  for (int i = 0; i < n; i++) {
    char opt[10];
    school_year_format(years[i], opt);
    html_raw(b, "<option value=\"");
    html_attr(b, opt);
    html_raw(b, years[i] == year ? "\" selected>" : "\">");
    html_text(b, opt);
    html_raw(b, "</option>");
  }
  html_raw(b, "</select><button type=\"submit\">");
  html_text(b, T(r, "show"));
  html_raw(b, "</button></form>");
}

void page_end(const struct request *r, struct response *resp) {
  (void)r;
  html_raw(&resp->body, "</main></body></html>\n");
}

void page_error(const struct request *r, struct response *resp, int status) {
  char key[8];
  snprintf(key, sizeof key, "err%d", status);
  resp->status = status;
  buf_reset(&resp->body);
  page_begin(r, resp, T(r, key));
  html_raw(&resp->body, "<p><a href=\"/\">bereik</a></p>");
  page_end(r, resp);
}

/* Belgian format: one implementation, the charts' (render/chart.c), so a chart and a table
   never show different figures. */
void fmt_be(double v, int decimals, char *out, size_t n) { format_be(v, decimals, out, n); }

void fmt_date_text(const struct request *r, int32_t day, char *out, size_t n) {
  static const char *const nl[] = {"jan.", "feb.", "mrt.", "apr.", "mei",  "jun.",
                                   "jul.", "aug.", "sep.", "okt.", "nov.", "dec."};
  static const char *const en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int y, m, d;
  civil_from_days(day, &y, &m, &d);
  if (r->lang && !strcmp(r->lang, "en"))
    snprintf(out, n, "%d %s %d", d, en[m - 1], y);
  else
    snprintf(out, n, "%d %s %d", d, nl[m - 1], y);
}

void fmt_pct(double fraction, int decimals, char *out, size_t n) {
  format_be_pct(fraction, decimals, out, n);
}
