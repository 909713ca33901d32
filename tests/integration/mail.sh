#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# E-mail (docs/MAIL.md) against a real SMTP server: Debian's python3-aiosmtpd on
# 127.0.0.1 writes every message it receives into a folder (mail_smtpd.py), and Python's
# email package reads them back. On the engine of engine.sh, with today 2026-12-09 (a
# Wednesday): the week looked at is Monday 30/11 - Sunday 06/12/2026 (ISO week 49), the
# month November 2026.
#
# The dataset below, and what follows from it by hand:
#   advisors AN (1.0 FTE), BE (0.5), CO (1.0), all in team T-A; 1200 hours per FTE.
#   AN: 30/11 240 min client + 120 internal, 02/12 300 client, 04/12 180 internal,
#       05/12 (Saturday) 60 client; 16/11 360 client.
#       week: 240+120+300+180+60 = 900 min = 15,0 uur; KLV 240+300+60 = 600 min = 10,0 uur,
#       600/900 = 66,7%; working days without registrations: dinsdag 01/12/2026 and
#       donderdag 03/12/2026.
#       school year to 06/12: KLV 600+360 = 960 min = 16 h; working days 01/09-06/12/2026
#       = 4 (Tue-Fri of the first week) + 13 weeks * 5 = 69 of 261 in the school year
#       (52 weeks and Tuesday 31/08/2027); 16 / (1200 * 69/261) = 4176/82800 = 5,0% (achter).
#   BE (reminders off, English): 30/11 90 min client. Week 1.5 hours, KLV 1.5 hours = 100.0%;
#       no reminder although 01-04/12 have no registration.
#   CO (coordinator): 420 min client each working day 30/11-04/12: no reminder; week
#       2100 min = 35,0 uur, KLV 100,0%.
#   team-month for CO, as of today 09/12 (72 of 261 working days): team T-A KLV
#       (16 + 1.5 + 35) / (2.5 * 1200 * 72/261) = 13702.5/216000 = 6,3%; AN
#       16 / (1200 * 72/261) = 4,8%; BE 1.5 / (600 * 72/261) = 0,9%; CO 35 / (1200 * 72/261)
#       = 10,6%.
#   director-month for DIR (no advisor record), with the report PDF, as of 09/12: FTE
#       realisation = registered hours / 1200 / planned FTE = (21 + 1.5 + 35) / 1200 / 2.5
#       = 1,9% against the pro-rata 72/261 = 27,6%; reach 1 of 1 own institution = 100,0%;
#       hits: 10 client registrations with one institution each; KLV% of the service as the
#       team's, 6,3%; PBD the same; POC no data.
# usage: mail.sh BEREIK_BIN
set -u
bin=${1:?usage: mail.sh BEREIK_BIN}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/engine.sh"
# sanitizer build: fontconfig's process-lifetime caches are not leaks of bereik
export LSAN_OPTIONS="suppressions=$here/../lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
py=/usr/bin/python3 # Debian's python3-aiosmtpd is installed for the system Python
"$py" -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd is missing (apt-get install python3-aiosmtpd)"; exit 1; }
tmp=$(mktemp -d)
smtpd_pid=
cleanup() {
  if [ -n "$smtpd_pid" ]; then kill "$smtpd_pid" 2>/dev/null; wait "$smtpd_pid" 2>/dev/null; fi
  engine_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
echo "engine: $ENGINE"
export BEREIK_TODAY=2026-12-09 SOURCE_DATE_EPOCH=1796627400
base=https://bereik.example.org

# ---- the dataset ----
ds=$tmp/ds
mkdir -p "$ds"
cat >"$ds/settings.csv" <<'EOF'
school_year,hours_per_fte,reach_rule,reach_min_hours,locked
2026-2027,1200,contact,,false
EOF
cat >"$ds/sectors.csv" <<'EOF'
code,name,group,position
SO,Secundair onderwijs,SO,1
EOF
cat >"$ds/lines.csv" <<'EOF'
code,name,kind,unit,position
P1,Pijler 1 - KLO & KLB,pillar,pbd,1
EOF
cat >"$ds/goals.csv" <<'EOF'
code,line,name
1.1,P1,Krachtige leeromgeving
EOF
cat >"$ds/institutions.csv" <<'EOF'
number,code,name,sector,own,board,active,start,end
012345,SAA,School A,SO,true,,true,,
EOF
cat >"$ds/teams.csv" <<'EOF'
code,name,lines
T-A,Team A,P1
EOF
cat >"$ds/advisors.csv" <<'EOF'
code,name,role,fte,start,end,teams
AN,An Peeters,begeleider,1.0,,,T-A
BE,Bert Claes,begeleider,0.5,,,T-A
CO,Chris Coppens,coordinator,1.0,,,T-A
EOF
cat >"$ds/target_groups.csv" <<'EOF'
code,name,position
leraren,Leraren,1
EOF
cat >"$ds/plan.csv" <<'EOF'
school_year,line,planned_fte,coloured_fte
2026-2027,P1,2.50,
EOF
cat >"$ds/targets.csv" <<'EOF'
school_year,target_group,target
EOF
cat >"$ds/registrations.csv" <<'EOF'
id,date,minutes,kind,line,goal,advisors,institutions,modality,activity,trajectory,level,followup,description,tg.leraren
a1,2026-11-30,240,client,P1,1.1,AN,SAA,fysiek,,,micro,,Klasbezoek,3
a2,2026-11-30,120,internal,P1,,AN,,,preparation,,,,Voorbereiding,
a3,2026-12-02,300,client,P1,1.1,AN,SAA,fysiek,,,micro,,Coaching,2
a4,2026-12-04,180,internal,P1,,AN,,,preparation,,,,Zelfstudie,
a5,2026-12-05,60,client,P1,1.1,AN,SAA,online,,,micro,,Nabespreking,1
a6,2026-11-16,360,client,P1,1.1,AN,SAA,fysiek,,,micro,,Studiedag,12
b1,2026-11-30,90,client,P1,1.1,BE,SAA,fysiek,,,micro,,Klasbezoek,1
c1,2026-11-30,420,client,P1,1.1,CO,SAA,fysiek,,,micro,,Traject,4
c2,2026-12-01,420,client,P1,1.1,CO,SAA,fysiek,,,micro,,Traject,4
c3,2026-12-02,420,client,P1,1.1,CO,SAA,fysiek,,,micro,,Traject,4
c4,2026-12-03,420,client,P1,1.1,CO,SAA,fysiek,,,micro,,Traject,4
c5,2026-12-04,420,client,P1,1.1,CO,SAA,fysiek,,,micro,,Traject,4
EOF
db=$(engine_new_db "$tmp" mail)
"$bin" --db "$db" init >/dev/null && "$bin" --db "$db" import "$ds" >"$tmp/import.log" 2>&1 ||
  { echo "import failed"; cat "$tmp/import.log"; exit 1; }
pw=correct-horse-battery-staple-9
adduser() { echo "$pw" | "$bin" --db "$db" user add "$@" --password-stdin >/dev/null 2>&1; }
adduser an --role advisor --advisor AN && adduser be --role advisor --advisor BE &&
  adduser co --role coordinator --advisor CO && adduser dir --role director &&
  adduser adm --role admin || { echo "user add failed"; exit 1; }
"$bin" --db "$db" mail set an --email an.peeters@example.org >/dev/null &&
  "$bin" --db "$db" mail set be --email bert@example.org --reminders off --lang en >/dev/null &&
  "$bin" --db "$db" mail set co --email chris@example.org >/dev/null &&
  "$bin" --db "$db" mail set dir --email directie@example.org >/dev/null || { echo "mail set failed"; exit 1; }
sent_rows() { engine_sql "$db" "SELECT COUNT(*) FROM mail_sent"; }

# ---- the SMTP server ----
out=$tmp/received
mkdir -p "$out"
"$py" "$here/mail_smtpd.py" "$out" "$tmp/smtpd.port" >"$tmp/smtpd.log" 2>&1 &
smtpd_pid=$!
for _ in $(seq 200); do
  [ -s "$tmp/smtpd.port" ] && break
  kill -0 "$smtpd_pid" 2>/dev/null || break
  sleep 0.1
done
port=$(cat "$tmp/smtpd.port" 2>/dev/null)
[ -n "$port" ] || { echo "the SMTP server did not start"; cat "$tmp/smtpd.log"; exit 1; }
count() { find "$out" -name '*.eml' | wc -l; }

# ---- --dry-run: lists, sends nothing, logs nothing ----
dry=$(BEREIK_SMTP_URL=smtp://127.0.0.1:$port "$bin" --db "$db" mail due --dry-run --base-url $base 2>"$tmp/dry.err")
rc=$?
want_dry="due reminder 2026-W49 <an.peeters@example.org> an: Herinnering: registraties ontbreken (week 49)
due week 2026-W49 <an.peeters@example.org> an: Je week in bereik (week 49)
due week 2026-W49 <bert@example.org> be: Your week in bereik (week 49)
due week 2026-W49 <chris@example.org> co: Je week in bereik (week 49)
due team-month 2026-11 <chris@example.org> co: Maandoverzicht van je team (november 2026)
due director-month 2026-11 <directie@example.org> dir: Maandoverzicht van de dienst (november 2026)"
if [ $rc -eq 0 ] && [ "$dry" = "$want_dry" ]; then ok "--dry-run lists the six messages due"; else
  fail "--dry-run" "rc=$rc $(diff <(echo "$want_dry") <(echo "$dry")) $(cat "$tmp/dry.err")"; fi
sleep 0.3
if [ "$(count)" -eq 0 ] && [ "$(sent_rows)" = 0 ]; then ok "--dry-run sends nothing and logs nothing"; else
  fail "--dry-run side effects" "$(count) received, $(sent_rows) logged"; fi

# ---- a server that does not answer: every message fails, nothing is logged ----
BEREIK_SMTP_URL=smtp://127.0.0.1:1 "$bin" --db "$db" mail due --base-url $base >/dev/null 2>"$tmp/down.err"
rc=$?
if [ $rc -eq 1 ] && [ "$(grep -c 'not sent' "$tmp/down.err")" = 6 ] && [ "$(sent_rows)" = 0 ]; then
  ok "no server: exit 1, six failures on stderr, nothing logged (tried again next run)"
else fail "no server" "rc=$rc logged=$(sent_rows) $(head -3 "$tmp/down.err")"; fi

# ---- STARTTLS is required off the loopback address ----
BEREIK_SMTP_URL=smtp://localhost:$port "$bin" --db "$db" mail due --base-url $base >/dev/null 2>"$tmp/tls.err"
rc=$?
if [ $rc -eq 1 ] && [ "$(count)" -eq 0 ] && [ "$(sent_rows)" = 0 ]; then
  ok "smtp://localhost (not the address 127.0.0.1) without STARTTLS: refused ($(head -1 "$tmp/tls.err" | cut -c1-90))"
else fail "STARTTLS required" "rc=$rc received=$(count)"; fi

# ---- the interface: send what is due, exit 0; again at once: nothing ----
BEREIK_SMTP_URL=smtp://127.0.0.1:$port "$bin" --db "$db" mail due --base-url $base >"$tmp/run1.out" 2>"$tmp/run1.err"
rc=$?
sleep 0.3
if [ $rc -eq 0 ] && [ "$(count)" -eq 6 ] && [ "$(sent_rows)" = 6 ]; then ok "mail due sends six messages, exit 0, six rows in the sent-log"; else
  fail "mail due" "rc=$rc received=$(count) logged=$(sent_rows) $(cat "$tmp/run1.err")"; fi
BEREIK_SMTP_URL=smtp://127.0.0.1:$port "$bin" --db "$db" mail due --base-url $base >"$tmp/run2.out" 2>"$tmp/run2.err"
rc=$?
sleep 0.3
if [ $rc -eq 0 ] && [ "$(count)" -eq 6 ] && [ ! -s "$tmp/run2.out" ] && [ "$(sent_rows)" = 6 ]; then
  ok "run again at once: exit 0, nothing sent"
else fail "second run" "rc=$rc received=$(count) $(cat "$tmp/run2.out" "$tmp/run2.err")"; fi
key_rows=$(engine_sql "$db" "SELECT kind || ' ' || period FROM mail_sent ORDER BY id" | tr '\n' ',')
if [ "$key_rows" = "reminder 2026-W49,week 2026-W49,week 2026-W49,week 2026-W49,team-month 2026-11,director-month 2026-11," ]; then
  ok "the sent-log holds kind and period of each message"
else fail "sent-log" "$key_rows"; fi

# ---- the messages, read back with Python's email package ----
if "$py" - "$out" "$base" <<'PY'; then ok "received messages: recipients, subjects, days, hours, KLV%, MIME, PDF"; else fail "received messages" "see above"; fi
import email, email.policy, glob, os, sys
out, base = sys.argv[1], sys.argv[2]
msgs = {}
bad = []
def check(cond, what):
    if not cond:
        bad.append(what)
for path in sorted(glob.glob(os.path.join(out, "*.eml"))):
    raw = open(path, "rb").read()
    for line in raw.split(b"\r\n"):
        check(len(line) <= 78, "%s: a line of %d characters" % (path, len(line)))
    check(b"\n" not in raw.replace(b"\r\n", b""), "%s: a bare LF" % path)
    m = email.message_from_bytes(raw, policy=email.policy.default)
    msgs[(m["X-Envelope-To"], str(m["Subject"]))] = m
    for h in ("Date", "Message-ID", "From", "To", "Subject"):
        check(m[h] is not None, "%s: no %s" % (path, h))
    check(m["MIME-Version"] == "1.0", "MIME-Version")
    check(m["To"].addresses[0].addr_spec == m["X-Envelope-To"], "To and envelope agree")
    alt = m if m.get_content_type() == "multipart/alternative" else m.get_payload()[0]
    check(alt.get_content_type() == "multipart/alternative", "%s: multipart/alternative" % path)
    parts = alt.get_payload()
    check([p.get_content_type() for p in parts] == ["text/plain", "text/html"], "%s: text/plain + text/html" % path)
    for p in parts:
        check(p.get_content_charset() == "utf-8", "%s: charset UTF-8" % path)
        check(p["Content-Transfer-Encoding"] == "quoted-printable", "%s: quoted-printable" % path)
want = {
    ("an.peeters@example.org", "Herinnering: registraties ontbreken (week 49)"),
    ("an.peeters@example.org", "Je week in bereik (week 49)"),
    ("bert@example.org", "Your week in bereik (week 49)"),
    ("chris@example.org", "Je week in bereik (week 49)"),
    ("chris@example.org", "Maandoverzicht van je team (november 2026)"),
    ("directie@example.org", "Maandoverzicht van de dienst (november 2026)"),
}
check(set(msgs) == want, "recipients and subjects: %s" % sorted(set(msgs) ^ want))
def text(k):
    m = msgs.get(k)
    return m.get_body(("plain",)).get_content() if m else ""
def html(k):
    m = msgs.get(k)
    return m.get_body(("html",)).get_content() if m else ""
r = text(("an.peeters@example.org", "Herinnering: registraties ontbreken (week 49)"))
days = [l for l in r.splitlines() if l.startswith("- ")]
check(days == ["- dinsdag 01/12/2026: %s/week?datum=2026-12-01" % base,
               "- donderdag 03/12/2026: %s/week?datum=2026-12-03" % base], "reminder days: %r" % days)
check("Dag An Peeters," in r and "%s/registreren" % base in r, "reminder greeting and link")
check('<a href="%s/week?datum=2026-12-01">' % base in html(("an.peeters@example.org", "Herinnering: registraties ontbreken (week 49)")), "reminder HTML link")
w = text(("an.peeters@example.org", "Je week in bereik (week 49)"))
check("- geregistreerd: 15,0 uur" in w, "AN hours: %r" % w)
check("- waarvan in klasvloercontext (KLV): 10,0 uur = 66,7% (norm 60,0%)" in w, "AN week KLV")
check("- KLV% van het schooljaar tot nu, tegenover je capaciteit: 5,0% (norm 60,0%, achter)" in w, "AN year KLV")
check("(week 49, 30/11/2026 - 06/12/2026)" in w, "AN week dates")
e = text(("bert@example.org", "Your week in bereik (week 49)"))
check("- registered: 1.5 hours" in e and "1.5 hours = 100.0% (norm 60.0%)" in e and e.startswith("Hello Bert Claes,"), "BE in English: %r" % e)
check(msgs.get(("bert@example.org", "Your week in bereik (week 49)"), {}).get("Content-Language") == "en", "BE Content-Language en")
c = text(("chris@example.org", "Je week in bereik (week 49)"))
check("- geregistreerd: 35,0 uur" in c and "35,0 uur = 100,0%" in c, "CO week")
t = text(("chris@example.org", "Maandoverzicht van je team (november 2026)"))
for line in ("- Team A: KLV% 6,3% (norm 60,0%, achter)", "- An Peeters: KLV% 4,8% (norm 60,0%, achter)",
             "- Bert Claes: KLV% 0,9% (norm 60,0%, achter)", "- Chris Coppens: KLV% 10,6% (norm 60,0%, achter)",
             "schooljaar 2026-2027, stand op 09/12/2026:"):
    check(line in t, "team-month: %s in %r" % (line, t))
d = msgs.get(("directie@example.org", "Maandoverzicht van de dienst (november 2026)"))
if d:
    check(d.get_content_type() == "multipart/mixed", "director: multipart/mixed")
    atts = list(d.iter_attachments())
    check(len(atts) == 1 and atts[0].get_content_type() == "application/pdf", "director: one PDF attachment")
    if atts:
        pdf = atts[0].get_content()
        check(pdf[:5] == b"%PDF-" and len(pdf) > 1000, "director: the attachment is a PDF (%d bytes)" % len(pdf))
        check(atts[0].get_filename() == "bereik-2026-11.pdf", "director: file name")
    dt = text(("directie@example.org", "Maandoverzicht van de dienst (november 2026)"))
    for line in ("In de bijlage: het rapport van het schooljaar als PDF.",
                 "- FTE-realisatie: 1,9% (pro rata 27,6%, achter)",
                 "- Bereik van instellingen: 100,0% (pro rata 27,6%, op koers); Hits: 10",
                 "- Klasvloercontext (KLV%): 6,3% (norm 60,0%, achter)",
                 "- PBD: KLV% 6,3% (norm 60,0%, achter)", "- POC: nog geen gegevens"):
        check(line in dt, "director: %s in %r" % (line, dt))
    check(dt.splitlines()[0] == "Dag,", "director: greeting without a name")
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
PY
# one received message of each kind, for the record (docs/MAIL.md quotes them)
if [ -n "${BEREIK_MAIL_KEEP:-}" ]; then mkdir -p "$BEREIK_MAIL_KEEP" && cp "$out"/*.eml "$BEREIK_MAIL_KEEP"/; fi

# ---- reminders off, and switched on again: the reminder of a new week comes ----
if ! grep -l '^X-Envelope-To: bert@example.org' "$out"/*.eml | xargs grep -l 'Subject: Reminder' >/dev/null 2>&1; then
  ok "a user with reminders off gets no reminder"
else fail "reminders off" "bert got a reminder"; fi

# ---- header injection: an address with CR LF in the user table is refused ----
if [ "$ENGINE" = postgresql ]; then crlf="chr(13) || chr(10)"; else crlf="char(13) || char(10)"; fi
adduser eve --role advisor --advisor BE
engine_sql "$db" "UPDATE app_user SET email = 'eve@example.org' || $crlf || 'Bcc: all@example.org' WHERE login = 'eve'" >/dev/null
BEREIK_SMTP_URL=smtp://127.0.0.1:$port "$bin" --db "$db" mail due --base-url $base >"$tmp/inj.out" 2>"$tmp/inj.err"
rc=$?
sleep 0.3
if [ $rc -eq 1 ] && grep -q 'user eve: the e-mail address in the user table is refused' "$tmp/inj.err" &&
  [ "$(count)" -eq 6 ] && [ "$(sent_rows)" = 6 ] && ! grep -rq 'all@example.org' "$out"; then
  ok "an address with CR LF in the user table is refused: exit 1, nothing sent"
else fail "header injection" "rc=$rc received=$(count) $(cat "$tmp/inj.err")"; fi
if "$bin" --db "$db" mail set eve --email $'eve@example.org\r\nBcc: all@example.org' >/dev/null 2>&1; then
  fail "mail set with CR LF" "accepted"
else ok "mail set refuses an address with CR LF"; fi
"$bin" --db "$db" mail set eve --email none >/dev/null

# ---- the preferences are audited ----
n=$(engine_sql "$db" "SELECT COUNT(*) FROM audit WHERE action = 'mail_prefs' AND object_key = 'be'")
if [ "$n" = 1 ]; then ok "mail set writes one audit entry"; else fail "audit" "$n entries for be"; fi

# ---- the configuration file: mail-* keys; serve ignores them ----
cat >"$tmp/bereik.conf" <<EOF
db = $db
mail-smtp-url = smtp://127.0.0.1:$port
mail-from = bereik@example.org
mail-base-url = $base/
EOF
if "$bin" mail due --config "$tmp/bereik.conf" --dry-run >"$tmp/conf.out" 2>&1 && [ ! -s "$tmp/conf.out" ]; then
  ok "mail due --config reads the file (db, mail-*): nothing due"
else fail "--config" "$(cat "$tmp/conf.out")"; fi
echo "mail-smtp-url = http://x" >"$tmp/bad.conf"
if "$bin" mail due --config "$tmp/bad.conf" 2>"$tmp/bad.err"; then fail "bad config" "accepted"; else
  grep -q "bad.conf:1: the SMTP server" "$tmp/bad.err" && ok "a bad mail-smtp-url names FILE:LINE" ||
    fail "bad config message" "$(cat "$tmp/bad.err")"; fi

echo "passed $passed, failed $failed"
[ "$failed" -eq 0 ]
