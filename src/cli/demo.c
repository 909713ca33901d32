/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik demo: a realistic synthetic guidance service. The generator writes a dataset
   folder (DATA-FORMAT.md section 1) into a temporary directory and imports it through
   the ordinary importer, so demo data passes every validation rule.

   The school years from 2023-2024 (at least three) up to the current one, which ends
   today (Europe/Brussels; BEREIK_TODAY=YYYY-MM-DD sets another today, and the same seed
   and today give the same data): about 50 institutions over all sectors, 20 advisors in
   five teams (one leaves in January of the second year, one starts in November of the
   first), ~5,000 registrations a year, none after today, and at most 600 minutes per
   advisor per day (as author or co-advisor). Each advisor registers close to their
   capacity, a little over half of it in client contact, and every working day of the
   current week up to today; the plan of each line is then set from what was realised so
   that FTE realisation lands between 95% and 101% (of the pro-rata target in the current
   year). The 2022-2025 plan counts reach in
   hours, the 2025-2030 plan in trajectories; the oldest year is locked. */
#include "cli/demo.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "http/auth.h"
#include "io/dataset.h"
#include "mail/prefs.h"
#include "measures/indicators.h"

static uint64_t rng;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}
static int rnd(int n) { return (int)(next() % (uint64_t)n); }
static double unif(double a, double b) { return a + (b - a) * (double)(next() >> 11) / 9007199254740992.0; }

#define FIRST_YEAR 2023   /* the first school year of the demo service, unless today is earlier */
#define PERIOD2_YEAR 2025 /* the 2025-2030 plan: reach counted in trajectories */
#define MAX_YEARS 40
#define DAY_CAP 600 /* minutes per advisor per day; the rule allows 1440 */

struct dline {
  const char *code, *name, *kind, *unit;
};
static const struct dline lines[] = {
    {"P1", "Pijler 1 - KLO & KLB", "pillar", "pbd"},
    {"P2", "Pijler 2 - ZORG", "pillar", "pbd"},
    {"P3", "Pijler 3 - CUR", "pillar", "pbd"},
    {"P4", "Pijler 4 - TAAL", "pillar", "pbd"},
    {"P5", "Pijler 5 - LEID", "pillar", "pbd"},
    {"P6", "Pijler 6 - DATA", "pillar", "pbd"},
    {"POC", "POC", "pillar", "poc"},
    {"PRJ-EXC", "Project Excellentiefonds", "project", "pbd"},
    {"PRJ-DIG", "Project Digisprong", "project", "pbd"},
    {"MOD-SO", "Modernisering/herziening SO met scholen", "other", "pbd"},
};
#define N_LINES 10

struct dteam {
  const char *code, *name;
  int lines[3];
};
static const struct dteam teams[] = {
    {"T-KLO", "Team krachtige leeromgeving", {0, 1, -1}},
    {"T-CUR", "Team curriculum", {2, 3, 9}},
    {"T-LEID", "Team leiderschap en data", {4, 5, 8}},
    {"T-POC", "Team POC", {6, -1, -1}},
    {"T-EXC", "Team excellentie (pijleroverschrijdend)", {7, 2, 4}},
};
#define N_TEAMS 5

static const char *const first_names[] = {"An",    "Bert",   "Cem",     "Dirk",  "Els",   "Fien", "Geert",
                                          "Hanne", "Ilse",   "Jan",     "Karen", "Lien",  "Mats", "Nora",
                                          "Omar",  "Pieter", "Quinten", "Ruth",  "Sofie", "Tom"};
static const char *const last_names[] = {"Peeters",   "Claes",      "Yilmaz",  "Janssens", "Maes",
                                         "Jacobs",    "Mertens",    "Willems", "Wouters",  "Goossens",
                                         "Dubois",    "Lambrechts", "Desmet",  "Hermans",  "El Amrani",
                                         "Vermeulen", "Van Damme",  "Martens", "Smets",    "De Smet"};

struct dsector {
  const char *code;
  int n;
  const char *prefix;
};
static const struct dsector sectors[] = {
    {"BaO", 15, "B"},      {"BuBaO", 4, "K"},    {"SO", 12, "S"}, {"BuSO", 3, "X"},
    {"Deeltijds", 2, "D"}, {"VO", 2, "V"},       {"CLB", 4, "L"}, {"LNC", 2, "N"},
    {"Bestuur", 4, "P"},   {"Graduaat", 1, "G"}, {"INT", 1, "I"}, {"Andere", 1, "Z"},
};
#define N_INST 51

struct dinst {
  char number[16], code[16];
  const char *sector;
  int own;
};
/* A second generator for the data-quality files (docs/QUALITY.md), so that the rest of
   the demo stays what it was for a seed. */
static uint64_t rng_q;
static int rnd_q(int n) {
  rng_q ^= rng_q << 13;
  rng_q ^= rng_q >> 7;
  rng_q ^= rng_q << 17;
  return (int)(rng_q % (uint64_t)n);
}

struct dadv {
  char code[8];
  double fte;
  int team, team2;
  int32_t start, end;
};

static FILE *open_file(const char *dir, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return fopen(path, "w");
}

/* 0 = Monday; 1970-01-01 was a Thursday */
static int weekday(int32_t d) { return (int)((d % 7 + 7 + 3) % 7); }

static int has_weekday(int32_t from, int32_t to) {
  for (int32_t d = from; d <= to && d < from + 7; d++)
    if (weekday(d) < 5) return 1;
  return 0;
}

/* A random working day in [from, to]; the caller checks has_weekday first. */
static int32_t weekday_in(int32_t from, int32_t to) {
  for (;;) {
    int32_t d = from + rnd((int)(to - from + 1));
    if (weekday(d) < 5) return d;
  }
}

/* Today in Europe/Brussels (date_brussels), or BEREIK_TODAY, as the bounds read it; a
   malformed BEREIK_TODAY is an error here. Returns 0, or -1 with a message. */
static int demo_today(int32_t *today, char *err, size_t errlen) {
  const char *env = getenv("BEREIK_TODAY");
  if (env && *env) {
    if (date_parse(env, today) != 0) {
      snprintf(err, errlen, "BEREIK_TODAY '%.32s': expected a date YYYY-MM-DD", env);
      return -1;
    }
    return 0;
  }
  *today = date_brussels(time(NULL));
  return 0;
}

static double hours_per_fte(int year) { return year == 2023 ? 1185.95 : year == 2024 ? 1185.1 : 1185; }

static void remove_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    char path[600];
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue;
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      unlink(path);
    }
    closedir(d);
  }
  rmdir(dir);
}

static const char *const modalities[] = {"fysiek", "fysiek",  "fysiek",   "fysiek", "online",
                                         "online", "hybride", "helpdesk", "walk",   "klasbezoek"};
static const char *const activities[] = {"preparation",
                                         "preparation",
                                         "follow_up",
                                         "self_study",
                                         "internal_meeting",
                                         "internal_meeting",
                                         "professional_development",
                                         "quality",
                                         "other"};
static const int client_minutes[] = {60, 90, 120, 150, 180, 180, 240, 240, 300, 360, 420, 480, 240, 180};
static const int internal_minutes[] = {60, 90, 120, 180, 240, 240, 300, 360, 420, 480};

/* The impact files of the demo: see demo_fill. */
static void demo_impact(const char *dir, const struct dinst *inst, int n, const struct dadv *adv,
                        int traj_of[][2], int traj_complete[][2], int traj_adv[][2][2], int32_t today) {
  static const char *const step_what[] = {"Beginsituatie in kaart brengen", "Werkgroep samenstellen",
                                          "Studiedag met het team", "Klasbezoeken met feedback",
                                          "Evaluatie en bijsturing"};
  static const char *const step_who[] = {"directie", "werkgroep", "begeleider", "leraren", "middenkader"};
  static const char *const step_expected[] = {"gedeeld beeld van de noden", "werkgroep met mandaat",
                                              "gedragen afspraken", "zichtbare praktijk in de klas",
                                              "bijgestuurd actieplan"};
  static const char *const notes[] = {"Werkgroep kwam samen; afspraken over de klasbezoeken",
                                      "Eerste klasbezoeken gebeurd en feedback gegeven",
                                      "Directie stelde het actieplan voor aan het team",
                                      "Tussentijdse evaluatie met de werkgroep"};
  static const char *const remarks[] = {"Heel bruikbaar voor mijn klas.", "Meer voorbeelden graag.",
                                        "Sterke sessie, duidelijke afspraken.", "Iets te veel theorie."};
  FILE *ta = open_file(dir, "trajectory_advisors.csv"), *st = open_file(dir, "action_steps.csv"),
       *ph = open_file(dir, "trajectory_phases.csv"), *oc = open_file(dir, "trajectory_outcomes.csv"),
       *fu = open_file(dir, "followups.csv"), *sv = open_file(dir, "surveys.csv"),
       *an = open_file(dir, "survey_answers.csv");
  fprintf(ta, "trajectory,advisor\n");
  fprintf(st, "trajectory,step,what,who,due,expected,done\n");
  fprintf(ph, "trajectory,phase,date\n");
  fprintf(oc, "trajectory,outcome,note\n");
  fprintf(fu, "id,trajectory,date,note,next_step,registration\n");
  fprintf(sv, "id,questionnaire,trajectory,registration,created,expires,max_answers\n");
  fprintf(an, "survey,response,question,score,text\n");
  int32_t p1 = school_year_first_day(PERIOD2_YEAR);
  int nf = 0, ns = 0;
  for (int i = 0; i < n; i++)
    for (int p = 0; p < 2; p++) {
      if (traj_of[i][p] < 0) continue;
      char id[16];
      snprintf(id, sizeof id, "TR%03d-%d", i, p);
      for (int k = 0; k < 2; k++)
        if (traj_adv[i][p][k] >= 0) fprintf(ta, "%s,%s\n", id, adv[traj_adv[i][p][k]].code);
      if (p == 0) { /* the 2022-2025 trajectories closed on 30 June 2025 */
        int o = rnd(10);
        fprintf(oc, "%s,%s,%s\n", id,
                o < 6   ? "yes"
                : o < 9 ? "partly"
                        : "no",
                o < 6 ? "Doelen gehaald volgens de eindevaluatie met de directie"
                      : "Deels bereikt; opvolging nodig");
        continue;
      }
      if (p1 > today || traj_complete[i][p] < 0) continue; /* not begun, or still planned */
      /* steps: complete for the trajectories with an action plan */
      int nsteps = traj_complete[i][p] ? 3 + rnd(3) : rnd(2);
      for (int k = 0; k < nsteps; k++) {
        char due[11];
        date_format(p1 + 30 + 60 * k, due);
        fprintf(st, "%s,%d,%s,%s,%s,%s,%s\n", id, k + 1, step_what[k], step_who[(k + i) % 5],
                traj_complete[i][p] ? due : "", traj_complete[i][p] ? step_expected[k] : "",
                p1 + 30 + 60 * k < today - 30 ? "true" : "false");
      }
      /* phases: explore at the start, then on as time passes */
      int32_t d = p1 + rnd(20);
      for (int k = 0; k < N_PHASES && d <= today; k++) {
        char ds[11];
        date_format(d, ds);
        fprintf(ph, "%s,%s,%s\n", id, phase_names[k], ds);
        d += 80 + rnd(200);
      }
      /* follow-up entries */
      int nfu = rnd(4);
      for (int k = 0; k < nfu; k++) {
        int32_t fd = p1 + 40 + rnd(today - p1 > 60 ? today - p1 - 40 : 20);
        if (fd > today) fd = today;
        char ds[11];
        date_format(fd, ds);
        fprintf(fu, "F%04d,%s,%s,%s,%s,\n", ++nf, id, ds, notes[rnd(4)],
                rnd(2) ? "Volgend overleg plannen" : "");
      }
      /* surveys: a short one after a session for about half, a long one for some */
      for (int kind = 0; kind < 2; kind++) {
        if (rnd(kind ? 4 : 2)) continue;
        int32_t created = today - rnd(kind ? 40 : 120);
        if (created < p1) created = p1;
        char cs[11], es[11];
        date_format(created, cs);
        date_format(created + (kind ? 60 : 14), es);
        char sid[24];
        snprintf(sid, sizeof sid, "E-DEMO%06d", ++ns);
        fprintf(sv, "%s,%s,%s,,%s,%s,%d\n", sid, kind ? "LANG-1" : "KORT-1", id, cs, es, 30);
        int nresp = kind ? rnd(8) : 3 + rnd(12);
        static const char *const short_keys[] = {"relevant", "useful", "clear"};
        static const char *const long_keys[] = {"goal", "practice", "sustain"};
        for (int r = 1; r <= nresp; r++) {
          for (int q = 0; q < 3; q++) {
            int sc = 3 + rnd(3) - (rnd(8) == 0 ? 2 : 0);
            fprintf(an, "%s,%d,%s,%d,\n", sid, r, kind ? long_keys[q] : short_keys[q], sc);
          }
          if (rnd(3) == 0) fprintf(an, "%s,%d,%s,,\"%s\"\n", sid, r, "remark", remarks[rnd(4)]);
        }
      }
    }
  fclose(ta);
  fclose(st);
  fclose(ph);
  fclose(oc);
  fclose(fu);
  fclose(sv);
  fclose(an);
  (void)inst;
}

/* Sets created_at of the registrations of registrations.csv in DIR dated from `from`:
   the date plus a lag (0-2 days mostly, up to 30), at an hour of the afternoon, never
   after today. 0 or -1. */
static int demo_entered(struct db *db, const char *dir, int32_t from, int32_t today) {
  char path[512];
  snprintf(path, sizeof path, "%s/registrations.csv", dir);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  if (db_begin_write(db) != DB_OK) {
    fclose(f);
    return -1;
  }
  char line[8192];
  int rc = 0;
  if (!fgets(line, sizeof line, f)) rc = -1; /* the header */
  while (rc == 0 && fgets(line, sizeof line, f)) {
    char *c1 = strchr(line, ',');
    if (!c1) continue;
    *c1 = 0;
    char *date = c1 + 1, *c2 = strchr(date, ',');
    if (!c2) continue;
    *c2 = 0;
    int32_t d;
    if (date_parse(date, &d) != 0 || d < from) continue;
    int p = rnd_q(100);
    int lag = p < 55 ? rnd_q(2) : p < 80 ? 2 + rnd_q(6) : 8 + rnd_q(23);
    int32_t at = d + lag > today ? today : d + lag;
    int y, mo, da;
    civil_from_days(at, &y, &mo, &da);
    char stamp[32];
    snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:00Z", y, mo, da, 13 + rnd_q(5), rnd_q(60));
    if (registration_set_entered(db, line, stamp) != 0) rc = -1;
  }
  fclose(f);
  if (rc == 0 && db_commit(db) != DB_OK) rc = -1;
  if (rc != 0) db_rollback(db);
  return rc;
}

int demo_fill(struct db *db, unsigned long seed, char *err, size_t errlen) {
  int32_t today;
  if (demo_today(&today, err, errlen) != 0) return -1;
  const int last_year = school_year_of(today);
  const int first_year = last_year - 2 < FIRST_YEAR ? last_year - 2 : FIRST_YEAR;
  const int n_years = last_year - first_year + 1;
  if (first_year < 1971 || n_years > MAX_YEARS) {
    char t[11];
    date_format(today, t);
    snprintf(err, errlen, "demo: today (%s) must lie between 1973-09-01 and %d-08-31", t,
             FIRST_YEAR + MAX_YEARS);
    return -1;
  }
  const int32_t day0 = school_year_first_day(first_year); /* minutes per advisor and day from here */
  const int32_t n_days = today - day0 + 1;
  uint16_t *used = calloc((size_t)20 * (size_t)n_days, sizeof *used);
  if (!used) {
    snprintf(err, errlen, "demo: out of memory");
    return -1;
  }
  rng = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)seed * 0xBF58476D1CE4E5B9ULL);
  if (!rng) rng = 1;
  for (int i = 0; i < 10; i++) next();
  char dir[] = "/tmp/bereik-demo-XXXXXX";
  if (!mkdtemp(dir)) {
    snprintf(err, errlen, "demo: cannot create a temporary folder");
    free(used);
    return -1;
  }
  FILE *f;
  /* settings: the 2022-2025 plan counts reach in hours, the 2025-2030 plan in trajectories */
  f = open_file(dir, "settings.csv");
  fprintf(f, "school_year,hours_per_fte,reach_rule,reach_min_hours,locked\n");
  for (int y = first_year; y <= last_year; y++) {
    char yr[10];
    school_year_format(y, yr);
    fprintf(f, "%s,%g,%s,%s\n", yr, hours_per_fte(y), y < PERIOD2_YEAR ? "hours,20" : "trajectory,",
            y == first_year ? "true" : "false");
  }
  fclose(f);
  f = open_file(dir, "sectors.csv");
  fputs(
      "code,name,group,position\nBaO,Basisonderwijs,(Bu)BaO,1\nBuBaO,Buitengewoon basisonderwijs,(Bu)BaO,2\n"
      "BuSO,Buitengewoon secundair onderwijs,(Bu)SO,3\nDeeltijds,Deeltijds onderwijs,(Bu)SO,4\n"
      "SO,Secundair onderwijs,(Bu)SO,5\nVO,Volwassenenonderwijs,VO,6\nCLB,Centrum voor "
      "leerlingenbegeleiding,CLB,7\n"
      "LNC,Leersteuncentrum,LNC,8\nBestuur,Schoolbestuur,Besturen,9\nGraduaat,Graduaat (HBO5),,10\n"
      "INT,Internaat,,11\nAndere,Andere,,12\n",
      f);
  fclose(f);
  f = open_file(dir, "lines.csv");
  fprintf(f, "code,name,kind,unit,position\n");
  for (int i = 0; i < N_LINES; i++)
    fprintf(f, "%s,%s,%s,%s,%d\n", lines[i].code, lines[i].name, lines[i].kind, lines[i].unit, i + 1);
  fclose(f);
  f = open_file(dir, "goals.csv");
  fprintf(f, "code,line,name\n");
  for (int i = 0; i < 6; i++)
    for (int g = 1; g <= 3; g++) fprintf(f, "%d.%d,P%d,Operationeel doel %d.%d\n", i + 1, g, i + 1, i + 1, g);
  fclose(f);

  struct dinst inst[N_INST] = {0};
  int n = 0;
  f = open_file(dir, "institutions.csv");
  fprintf(f, "number,code,name,sector,own,board,active,start,end\n");
  int boards[4], nb = 0;
  for (size_t s = 0; s < sizeof sectors / sizeof sectors[0]; s++)
    for (int k = 0; k < sectors[s].n; k++, n++) {
      snprintf(inst[n].number, sizeof inst[n].number, "%06d", 11000 + n * 137);
      snprintf(inst[n].code, sizeof inst[n].code, "%s%c%c", sectors[s].prefix, 'A' + k / 26, 'A' + k % 26);
      inst[n].sector = sectors[s].code;
      inst[n].own = strcmp(sectors[s].code, "Andere") != 0;
      if (!strcmp(sectors[s].code, "Bestuur")) boards[nb++] = n;
    }
  for (int i = 0; i < n; i++) {
    const char *kind = !strcmp(inst[i].sector, "Bestuur")  ? "Schoolbestuur"
                       : !strcmp(inst[i].sector, "CLB")    ? "CLB"
                       : !strcmp(inst[i].sector, "Andere") ? "Niet-POV scholen"
                                                           : "School";
    char board[16] = "";
    if (inst[i].own && strcmp(inst[i].sector, "Bestuur"))
      snprintf(board, sizeof board, "%s", inst[boards[i % nb]].number);
    /* one leersteuncentrum opens in 2024-2025 */
    char start[11] = "";
    if (!strcmp(inst[i].code, "NAB")) date_format(school_year_first_day(first_year + 1), start);
    if (!strcmp(inst[i].sector, "Andere"))
      fprintf(f, "%s,NT-POV,%s,%s,false,,true,,\n", inst[i].number, kind, inst[i].sector);
    else
      fprintf(f, "%s,%s,%s %s,%s,true,%s,true,%s,\n", inst[i].number, inst[i].code, kind, inst[i].code,
              inst[i].sector, board, start);
    if (!strcmp(inst[i].sector, "Andere")) snprintf(inst[i].code, sizeof inst[i].code, "NT-POV");
  }
  fclose(f);

  f = open_file(dir, "teams.csv");
  fprintf(f, "code,name,lines\n");
  for (int t = 0; t < N_TEAMS; t++) {
    fprintf(f, "%s,%s,", teams[t].code, teams[t].name);
    for (int k = 0; k < 3 && teams[t].lines[k] >= 0; k++)
      fprintf(f, "%s%s", k ? "|" : "", lines[teams[t].lines[k]].code);
    fputc('\n', f);
  }
  fclose(f);

  struct dadv adv[20] = {0};
  f = open_file(dir, "advisors.csv");
  fprintf(f, "code,name,role,fte,start,end,teams\n");
  for (int a = 0; a < 20; a++) {
    snprintf(adv[a].code, sizeof adv[a].code, "%c%c", first_names[a][0],
             last_names[a][0] == 'E' && last_names[a][1] == 'l' ? 'A' : last_names[a][0]);
    /* codes must be unique: add a digit when the initials repeat */
    for (int b = 0; b < a; b++)
      if (!strcmp(adv[a].code, adv[b].code))
        snprintf(adv[a].code, sizeof adv[a].code, "%c%d", first_names[a][0], a % 10);
    static const double ftes[] = {1.0, 1.0, 1.0, 0.8, 1.0, 0.9, 1.0, 0.5, 1.0, 0.8};
    adv[a].fte = ftes[a % 10];
    adv[a].team = a < 17 ? a % 4 : 4;
    adv[a].team2 = a % 5 == 0 && a < 17 ? 4 : -1;
    adv[a].start = NO_DATE;
    adv[a].end = NO_DATE;
    if (a == 6) adv[a].end = days_from_civil(first_year + 2, 1, 31); /* leaves mid-year */
    if (a == 19) adv[a].start = days_from_civil(first_year, 11, 6);  /* starts mid-year */
    const char *role = adv[a].team == 3 ? "poc" : a == 0 ? "coordinator" : a % 3 ? "begeleider" : "adviseur";
    char s[11] = "", e[11] = "";
    if (adv[a].start != NO_DATE) date_format(adv[a].start, s);
    if (adv[a].end != NO_DATE) date_format(adv[a].end, e);
    fprintf(f, "%s,%s %s,%s,%g,%s,%s,%s%s%s\n", adv[a].code, first_names[a], last_names[a], role, adv[a].fte,
            s, e, teams[adv[a].team].code, adv[a].team2 >= 0 ? "|" : "",
            adv[a].team2 >= 0 ? teams[adv[a].team2].code : "");
  }
  fclose(f);

  f = open_file(dir, "target_groups.csv");
  fputs(
      "code,name,position\nleraren,Leraren,1\nleidinggevenden,Leidinggevenden,2\nmiddenkader,Middenkader,3\n"
      "bestuursleden,Bestuursleden,4\nclb,CLB-medewerkers,5\nviv,VIV (Verbinding in Verandering),6\n",
      f);
  fclose(f);
  f = open_file(dir, "targets.csv");
  fputs("school_year,target_group,target\n", f);
  for (int y = PERIOD2_YEAR; y <= last_year; y++) {
    char yr[10];
    school_year_format(y, yr);
    fprintf(f, "%s,leraren,9000\n%s,leidinggevenden,900\n%s,middenkader,700\n%s,viv,400\n", yr, yr, yr, yr);
  }
  fclose(f);

  /* trajectories: about two thirds of the own schools have one per plan period (the
     second period only once it has begun) */
  char p0_start[11], p1_start[11];
  date_format(school_year_first_day(first_year), p0_start);
  date_format(school_year_first_day(PERIOD2_YEAR), p1_start);
  f = open_file(dir, "trajectories.csv");
  fprintf(f, "id,institution,line,goal,level,shared_goal,action_plan,start,end,status\n");
  int traj_of[N_INST][2], traj_complete[N_INST][2] = {{0}};
  int traj_adv[N_INST][2][2]; /* the first two advisors who registered on each trajectory */
  memset(traj_adv, -1, sizeof traj_adv);
  int nt = 0;
  for (int i = 0; i < n; i++)
    for (int p = 0; p < 2; p++) {
      traj_of[i][p] = -1;
      if (!inst[i].own || rnd(3) == 0) continue;
      int line = rnd(6);
      if (p && last_year < PERIOD2_YEAR) continue;
      traj_of[i][p] = line;
      const char *start = p ? p1_start : p0_start, *end = p ? "" : "2025-06-30";
      int complete = rnd(5) != 0;
      int planned = p && rnd(6) == 0;
      fprintf(f, "TR%03d-%d,%s,%s,%d.%d,%s,Gedeelde doelstelling %s,%s,%s,%s,%s\n", i, p, inst[i].number,
              lines[line].code, line + 1, 1 + rnd(3), rnd(2) ? "meso" : "micro", inst[i].code,
              complete
                  ? "Timing per trimester; rollen: directie en werkgroep; verwachte resultaten: beleidstekst"
                  : "",
              start, end, p ? (planned ? "planned" : "active") : "closed");
      traj_complete[i][p] = planned ? -1 : complete;
      nt++;
    }
  fclose(f);

  /* registrations: per year and advisor, close to capacity; the EEF mechanisms of the
     sessions of the 2025-2030 trajectories alongside */
  FILE *mech = open_file(dir, "mechanisms.csv");
  fprintf(mech, "registration,mechanism\n");
  f = open_file(dir, "registrations.csv");
  fprintf(f,
          "id,date,minutes,kind,line,goal,advisors,institutions,modality,activity,trajectory,level,followup,"
          "description,tg.leraren,tg.leidinggevenden,tg.middenkader,tg.bestuursleden,tg.clb,tg.viv\n");
  long id = 0;
  double line_minutes[MAX_YEARS][N_LINES] = {{0}};
  for (int y = 0; y < n_years; y++) {
    int year = first_year + y;
    int32_t first = school_year_first_day(year), last = school_year_last_day(year);
    if (last > today) last = today; /* the current year ends today */
    double budget[20];
    for (int a = 0; a < 20; a++) {
      int32_t s = adv[a].start != NO_DATE && adv[a].start > first ? adv[a].start : first;
      int32_t e = adv[a].end != NO_DATE && adv[a].end < last ? adv[a].end : last;
      budget[a] = e < s ? 0
                        : adv[a].fte * hours_per_fte(year) * 60.0 * (double)(e - s + 1) /
                              school_year_days(year) * unif(0.96, 1.005);
      if (!has_weekday(s, e)) budget[a] = 0;
    }
    for (int a = 0; a < 20; a++) {
      int32_t s = adv[a].start != NO_DATE && adv[a].start > first ? adv[a].start : first;
      int32_t e = adv[a].end != NO_DATE && adv[a].end < last ? adv[a].end : last;
      double klv_share = unif(0.47, 0.58);
      /* the current week's working days first, so that Mijn week is never empty */
      int32_t week = year == last_year ? today - weekday(today) : e + 1;
      if (week < s) week = s;
      while (budget[a] > 30) {
        int client = unif(0, 1) < klv_share;
        const struct dteam *tm = &teams[adv[a].team2 >= 0 && rnd(4) == 0 ? adv[a].team2 : adv[a].team];
        int nl = 0;
        while (nl < 3 && tm->lines[nl] >= 0) nl++;
        int line = tm->lines[rnd(nl)];
        int minutes = client ? client_minutes[rnd(14)] : internal_minutes[rnd(10)];
        if (minutes > budget[a]) minutes = (int)budget[a] / 15 * 15;
        if (minutes <= 0) break;
        while (week <= e && weekday(week) >= 5) week++;
        int32_t day = -1;
        if (week <= e) {
          int32_t d = week++;
          if (used[(size_t)a * (size_t)n_days + (size_t)(d - day0)] + minutes <= DAY_CAP) day = d;
        }
        for (int tries = 0; tries < 1000 && day < 0; tries++) {
          int32_t d = weekday_in(s, e);
          if (used[(size_t)a * (size_t)n_days + (size_t)(d - day0)] + minutes <= DAY_CAP) day = d;
        }
        if (day < 0) break; /* every working day is full */
        /* a colleague of the same team who is employed that day and has room joins sometimes */
        int co = -1;
        if (client && rnd(6) == 0) {
          int b = rnd(20);
          if (b != a && adv[b].team == adv[a].team && budget[b] > minutes &&
              (adv[b].start == NO_DATE || adv[b].start <= day) &&
              (adv[b].end == NO_DATE || adv[b].end >= day) &&
              used[(size_t)b * (size_t)n_days + (size_t)(day - day0)] + minutes <= DAY_CAP)
            co = b;
        }
        used[(size_t)a * (size_t)n_days + (size_t)(day - day0)] += (uint16_t)minutes;
        if (co >= 0) used[(size_t)co * (size_t)n_days + (size_t)(day - day0)] += (uint16_t)minutes;
        char date[11];
        date_format(day, date);
        char goal[32] = "";
        if (line < 6 && rnd(3)) snprintf(goal, sizeof goal, "%d.%d", line + 1, 1 + rnd(3));
        char advs[1300];
        if (co >= 0)
          snprintf(advs, sizeof advs, "%s|%s", adv[a].code, adv[co].code);
        else
          snprintf(advs, sizeof advs, "%s", adv[a].code);
        id++;
        budget[a] -= minutes;
        if (co >= 0) budget[co] -= minutes;
        line_minutes[y][line] += minutes * (co >= 0 ? 2 : 1);
        if (!client) {
          fprintf(f, "d%06ld,%s,%d,internal,%s,%s,%s,,,%s,,,,%s,,,,,,\n", id, date, minutes, lines[line].code,
                  goal, advs, activities[rnd(9)], "Interne tijd");
          continue;
        }
        /* clients: POC works with CLBs and boards, the others mostly with schools */
        int ni = rnd(8) == 0 ? 2 + rnd(2) : 1;
        int chosen[3] = {0}, k = 0;
        while (k < ni) {
          int c = line == 6 && rnd(2) ? (rnd(2) ? 36 + rnd(4) : 42 + rnd(4)) : rnd(n);
          if (!strcmp(inst[c].code, "NAB") && year < first_year + 1) continue;
          int dup = 0;
          for (int j = 0; j < k; j++) dup |= chosen[j] == c;
          if (!dup) chosen[k++] = c;
        }
        char insts[64] = "";
        for (int j = 0; j < ni; j++)
          snprintf(insts + strlen(insts), sizeof insts - strlen(insts), "%s%s", j ? "|" : "",
                   inst[chosen[j]].code);
        char traj[32] = "";
        int period = year >= PERIOD2_YEAR;
        const char *followup = "false";
        if (traj_of[chosen[0]][period] >= 0 && rnd(3) == 0) {
          snprintf(traj, sizeof traj, "TR%03d-%d", chosen[0], period);
          followup = rnd(2) ? "true" : "false";
          int *ta = traj_adv[chosen[0]][period];
          if (ta[0] < 0)
            ta[0] = a;
          else if (ta[1] < 0 && ta[0] != a)
            ta[1] = a;
          if (period) { /* one to three mechanisms, set and agreeing on goals most often */
            static const int likely[] = {2, 2, 8, 8, 5, 7, 6, 12, 1, 9, 0, 3, 4, 10, 11, 13};
            int nm = 1 + rnd(3), used_m[N_MECHANISMS] = {0};
            for (int k2 = 0; k2 < nm; k2++) used_m[likely[rnd(16)]] = 1;
            for (int k2 = 0; k2 < N_MECHANISMS; k2++)
              if (used_m[k2]) fprintf(mech, "c%06ld,%s\n", id, mechanism_names[k2]);
          }
        }
        int leraren = 1 + rnd(ni * 12), lg = rnd(3), mk = rnd(3), viv = rnd(5) == 0 ? 1 + rnd(3) : 0;
        const char *mod = modalities[rnd(10)];
        fprintf(f, "c%06ld,%s,%d,client,%s,%s,%s,%s,%s,,%s,%s,%s,Begeleiding %s,%d,%d,%d,%d,%d,%d\n", id,
                date, minutes, lines[line].code, goal, advs, insts, mod, traj, rnd(2) ? "meso" : "micro",
                followup, lines[line].code, leraren, lg, mk, line == 6 ? 0 : rnd(10) == 0,
                line == 6 ? 1 + rnd(3) : 0, viv);
      }
    }
  }
  fclose(f);
  fclose(mech);

  /* impact: who keeps each trajectory, its action-plan steps, EEF phases, follow-up,
     outcome at closing, and anonymous client surveys (docs/IMPACT.md) */
  demo_impact(dir, inst, n, adv, traj_of, traj_complete, traj_adv, today);

  /* plan: what each line realised, divided by a realisation of 95-101%, in 0.05 FTE; in the
     current school year what was realised so far over the share of the year past, so that
     the realisation lands near its pro-rata target (DOMAIN.md section 4) */
  f = open_file(dir, "plan.csv");
  fprintf(f, "school_year,line,planned_fte,coloured_fte\n");
  for (int y = 0; y < n_years; y++)
    for (int l = 0; l < N_LINES; l++) {
      if (!strcmp(lines[l].kind, "other")) continue;
      double share = prorata_share(first_year + y, today);
      double real = line_minutes[y][l] / 60.0 / hours_per_fte(first_year + y) / (share > 0.02 ? share : 1.0);
      double planned = (double)(long)(real / unif(0.95, 1.01) * 20.0 + 0.5) / 20.0;
      char yr[10];
      school_year_format(first_year + y, yr);
      if (l == 0 || l == 5)
        fprintf(f, "%s,%s,%.2f,%.2f\n", yr, lines[l].code, planned, l == 0 ? 0.4 : 0.1);
      else
        fprintf(f, "%s,%s,%.2f,\n", yr, lines[l].code, planned);
    }
  fclose(f);

  f = open_file(dir, "pd_spend.csv");
  fprintf(f, "advisor,school_year,date,amount_eur,description\n");
  for (int y = 0; y < n_years; y++)
    for (int a = 0; a < 20; a++) {
      int32_t first = school_year_first_day(first_year + y), last = school_year_last_day(first_year + y);
      if (last > today) last = today;
      if (adv[a].end != NO_DATE && adv[a].end < last) last = adv[a].end;
      if (adv[a].start != NO_DATE && adv[a].start > first) first = adv[a].start;
      if (!has_weekday(first, last)) continue;
      int k = rnd(3);
      for (int j = 0; j < k; j++) {
        char yr[10], date[11];
        school_year_format(first_year + y, yr);
        date_format(weekday_in(first, last), date);
        fprintf(f, "%s,%s,%s,%d.%02d,Vorming %d\n", adv[a].code, yr, date, 60 + rnd(300), rnd(100), j + 1);
      }
    }
  fclose(f);

  /* data quality (docs/QUALITY.md): the holidays are the migration's; a few days off per
     advisor and year on working days without registrations; each advisor's FTE split over
     their team's lines in 0.2 and 0.1 FTE packages */
  rng_q = 0x2545F4914F6CDD1DULL ^ ((uint64_t)seed * 0x9E3779B97F4A7C15ULL);
  if (!rng_q) rng_q = 1;
  f = open_file(dir, "days_off.csv");
  fprintf(f, "advisor,date,note\n");
  for (int y = 0; y < n_years; y++)
    for (int a = 0; a < 20; a++) {
      int32_t first = school_year_first_day(first_year + y), last = school_year_last_day(first_year + y);
      if (last > today) last = today;
      if (adv[a].end != NO_DATE && adv[a].end < last) last = adv[a].end;
      if (adv[a].start != NO_DATE && adv[a].start > first) first = adv[a].start;
      if (last < first) continue;
      int want = 2 + rnd_q(3), got = 0;
      for (int tries = 0; tries < 200 && got < want; tries++) {
        int32_t d = first + rnd_q((int)(last - first + 1));
        if (weekday(d) >= 5 || used[(size_t)a * (size_t)n_days + (size_t)(d - day0)]) continue;
        char date[11];
        date_format(d, date);
        /* a day off is one row: the same day twice would be a duplicate key */
        used[(size_t)a * (size_t)n_days + (size_t)(d - day0)] = 1;
        fprintf(f, "%s,%s,%s\n", adv[a].code, date, rnd_q(2) ? "verlof" : "");
        got++;
      }
    }
  fclose(f);
  f = open_file(dir, "advisor_lines.csv");
  fprintf(f, "advisor,school_year,line,fte\n");
  for (int y = 0; y < n_years; y++)
    for (int a = 0; a < 20; a++) {
      int tenths[N_LINES] = {0}, left = (int)(adv[a].fte * 10 + 0.5);
      const struct dteam *tm = &teams[adv[a].team];
      int nl = 0;
      while (nl < 3 && tm->lines[nl] >= 0) nl++;
      while (left > 0) {
        int pkg = left >= 2 && rnd_q(3) ? 2 : 1;
        tenths[tm->lines[rnd_q(nl)]] += pkg;
        left -= pkg;
      }
      char yr[10];
      school_year_format(first_year + y, yr);
      for (int l = 0; l < N_LINES; l++)
        if (tenths[l])
          fprintf(f, "%s,%s,%s,%d.%d\n", adv[a].code, yr, lines[l].code, tenths[l] / 10, tenths[l] % 10);
    }
  fclose(f);
  free(used);

  (void)nt;
  int rc = dataset_import(db, dir, "demo");
  /* the current school year's registrations were entered through the web: most within a
     few days, some a week or more later (registration lag, docs/QUALITY.md) */
  if (rc == 0) rc = demo_entered(db, dir, school_year_first_day(last_year), today);
  remove_dir(dir);
  if (rc != 0) {
    snprintf(err, errlen, "demo: the generated dataset was refused (see the messages above)");
    return -1;
  }
  /* demo accounts, one per role; a demo needs no second factor for admins */
  static const char *const logins[][3] = {{"admin", "admin", NULL},
                                          {"directie", "director", NULL},
                                          {"coordinator", "coordinator", "AP"},
                                          {"begeleider", "advisor", "BC"}};
  for (int i = 0; i < 4; i++)
    if (user_add(db, logins[i][0], logins[i][1], logins[i][2], DEMO_PASSWORD, err, errlen) != 0) return -1;
  /* their e-mail addresses, in the reserved domain .example (docs/MAIL.md) */
  for (int i = 0; i < 4; i++) {
    struct mail_prefs p = {.reminders = 1, .reports = 1, .lang = "nl"};
    snprintf(p.email, sizeof p.email, "%s@bereik.example", logins[i][0]);
    if (mail_prefs_set_login(db, logins[i][0], &p, "demo", (int64_t)time(NULL)) != MAIL_PREFS_OK) {
      snprintf(err, errlen, "demo: cannot write the e-mail addresses of the demo accounts");
      return -1;
    }
  }
  if (installation_set(db, "totp_required_for_admins", "false") != 0) {
    snprintf(err, errlen, "demo: cannot write the installation settings");
    return -1;
  }
  return 0;
}
