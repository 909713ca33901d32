#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The impact files of the dataset (docs/IMPACT.md section 6) on the engine of engine.sh:
# the demo writes every one of them; export -> import into an empty database -> export
# gives identical files and identical impact measures; importing the same folder again
# changes nothing; and each validation rule of the new files refuses a bad row with
# FILE:LINE: column: message, exit status 1 and nothing written.
# usage: impact_dataset.sh BEREIK_BIN
set -u
bin=${1:?usage: impact_dataset.sh BEREIK_BIN}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/engine.sh"
tmp=$(mktemp -d)
trap 'engine_cleanup; rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
echo "engine: $ENGINE"
export BEREIK_TODAY=2026-03-10

db=$(engine_new_db "$tmp" a)
"$bin" --db "$db" init && "$bin" --db "$db" demo --seed 3 >/dev/null 2>&1 || { echo "demo failed"; exit 1; }
"$bin" --db "$db" export "$tmp/e1" >/dev/null || { echo "export failed"; exit 1; }
files="trajectory_advisors action_steps trajectory_phases trajectory_outcomes followups mechanisms questionnaires
questions surveys survey_answers"
for f in $files; do
  n=$(($(wc -l <"$tmp/e1/$f.csv") - 1))
  if [ "$n" -gt 0 ]; then ok "demo writes $f.csv ($n rows)"; else fail "demo writes $f.csv" "no rows"; fi
done

db2=$(engine_new_db "$tmp" b)
"$bin" --db "$db2" init && "$bin" --db "$db2" import "$tmp/e1" >/dev/null 2>&1 && "$bin" --db "$db2" export "$tmp/e2" >/dev/null
if diff -r "$tmp/e1" "$tmp/e2" >"$tmp/rt.diff"; then
  ok "round trip: $(ls "$tmp/e1" | wc -l) files identical"
else
  fail "round trip" "$(head -10 "$tmp/rt.diff")"
fi
"$bin" --db "$db" report --impact --format csv >"$tmp/i1.csv"
"$bin" --db "$db2" report --impact --format csv >"$tmp/i2.csv"
if [ -s "$tmp/i1.csv" ] && cmp -s "$tmp/i1.csv" "$tmp/i2.csv"; then
  ok "round trip: the impact measures are identical ($(($(wc -l <"$tmp/i1.csv") - 1)) facts)"
else
  fail "round trip: impact measures" "$(diff "$tmp/i1.csv" "$tmp/i2.csv" | head -5)"
fi
out=$("$bin" --db "$db2" import "$tmp/e1" 2>&1)
changed=$(echo "$out" | grep -E ': [1-9][0-9]* (inserted|updated)' || true)
if [ -z "$changed" ] && echo "$out" | grep -q '^survey_answers.csv: 0 inserted, 0 updated'; then
  ok "importing the same folder again changes nothing"
else
  fail "re-import" "$changed"
fi

# ---- the rules: one bad row each, on a copy of the export ----
traj=$(awk -F, 'NR == 2 {print $1}' "$tmp/e1/trajectory_phases.csv")
reg=$(awk -F, 'NR == 2 {print $1}' "$tmp/e1/mechanisms.csv")
survey=$(awk -F, 'NR == 2 {print $1}' "$tmp/e1/survey_answers.csv")
sq=$(awk -F, -v s="$survey" '$1 == s {print $2}' "$tmp/e1/surveys.csv")
other_traj=$(awk -F, -v t="$traj" 'NR > 1 && $1 != t {print $1; exit}' "$tmp/e1/trajectories.csv")
linked_reg=$(awk -F, -v t="$other_traj" 'NR > 1 && $11 == t {print $1; exit}' "$tmp/e1/registrations.csv")
case "$sq" in KORT-*) scale=relevant ;; *) scale=goal ;; esac
before=$(engine_dump "$db2" | sha256sum)
# refuse NAME FILE "ROW" "EXPECTED PREFIX": appends ROW to FILE of a copy holding only
# that file, imports it, and checks the message, the exit status and that nothing changed
refuse() {
  local name=$1 file=$2 row=$3 want=$4 dir="$tmp/case-$1"
  mkdir -p "$dir"
  head -1 "$tmp/e1/$file" >"$dir/$file"
  printf '%s\n' "$row" >>"$dir/$file"
  local err rc
  err=$("$bin" --db "$db2" import "$dir" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -eq 1 ] && echo "$err" | grep -q -F -- "$want"; then
    ok "refused: $name"
  else
    fail "refused: $name" "exit $rc; $(echo "$err" | head -3)"
  fi
}
refuse "unknown trajectory (advisors)" trajectory_advisors.csv "NOPE,BC" "trajectory_advisors.csv:2: trajectory: unknown trajectory 'NOPE'"
refuse "unknown advisor" trajectory_advisors.csv "$traj,ZZ" "trajectory_advisors.csv:2: advisor: unknown advisor 'ZZ'"
refuse "step out of range" action_steps.csv "$traj,101,Iets,,,,false" "action_steps.csv:2: step: step must be an integer from 1 to 100"
refuse "unknown phase" trajectory_phases.csv "$traj,dream,2025-10-01" "trajectory_phases.csv:2: phase: unknown value 'dream'"
refuse "unknown outcome" trajectory_outcomes.csv "$traj,maybe," "trajectory_outcomes.csv:2: outcome: unknown value 'maybe'"
refuse "follow-up of an unknown trajectory" followups.csv "FX1,NOPE,2025-10-01,Iets,," "followups.csv:2: trajectory: unknown trajectory 'NOPE'"
refuse "follow-up naming another trajectory's registration" followups.csv "FX2,$traj,2025-10-01,Iets,,$linked_reg" "followups.csv:2: registration: registration '$linked_reg' is linked to another trajectory"
refuse "unknown registration (mechanisms)" mechanisms.csv "NOPE,feedback" "mechanisms.csv:2: registration: unknown registration 'NOPE'"
refuse "unknown mechanism" mechanisms.csv "$reg,telepathy" "mechanisms.csv:2: mechanism: unknown value 'telepathy'"
refuse "questionnaire kind" questionnaires.csv "KORT-9,medium,1,Titel,true" "questionnaires.csv:2: kind: unknown value 'medium'"
refuse "question of an unknown questionnaire" questions.csv "NOPE,q1,1,scale,Vraag,," "questions.csv:2: questionnaire: unknown questionnaire 'NOPE'"
refuse "a new question on a questionnaire with answers" questions.csv "$sq,extra,9,scale,Nieuwe vraag,," "questions.csv:2: questionnaire: questionnaire '$sq' has answers"
refuse "survey with neither trajectory nor registration" surveys.csv "SX1,KORT-1,,,2025-10-01,2025-10-15,10" "surveys.csv:2: trajectory: a survey belongs to a trajectory or a registration"
refuse "survey with both" surveys.csv "SX2,KORT-1,$traj,$reg,2025-10-01,2025-10-15,10" "surveys.csv:2: trajectory: a survey belongs to a trajectory or a registration"
refuse "survey expiring before it starts" surveys.csv "SX3,KORT-1,$traj,,2025-10-15,2025-10-01,10" "surveys.csv:2: expires: end date 2025-10-01 lies before start date 2025-10-15"
refuse "max_answers 0" surveys.csv "SX4,KORT-1,$traj,,2025-10-01,2025-10-15,0" "surveys.csv:2: max_answers: max_answers must be an integer from 1 to 1000"
refuse "max_answers 1001" surveys.csv "SX5,KORT-1,$traj,,2025-10-01,2025-10-15,1001" "surveys.csv:2: max_answers: max_answers must be an integer from 1 to 1000"
refuse "score 6" survey_answers.csv "$survey,1,$scale,6," "survey_answers.csv:2: score: score must be an integer from 1 to 5"
refuse "score 0" survey_answers.csv "$survey,1,$scale,0," "survey_answers.csv:2: score: score must be an integer from 1 to 5"
refuse "text on a scale question" survey_answers.csv "$survey,1,$scale,,Tekst" "survey_answers.csv:2: text: question '$scale' is of type scale"
refuse "score on an open question" survey_answers.csv "$survey,1,remark,3," "survey_answers.csv:2: score: question 'remark' is of type open"
refuse "response above max_answers" survey_answers.csv "$survey,1001,$scale,3," "survey_answers.csv:2: response: response must be an integer from 1 to max_answers"
refuse "unknown question" survey_answers.csv "$survey,1,nope,3," "survey_answers.csv:2: question: unknown question 'nope'"
refuse "unknown survey" survey_answers.csv "NOPE,1,relevant,3," "survey_answers.csv:2: survey: unknown survey 'NOPE'"
refuse "missing required column" trajectory_phases.csv "$traj,explore" "trajectory_phases.csv:2: -: the row has 2 cells, the header has 3"
# a follow-up, a phase and a mechanism in a school year locked before the import (the
# demo locks its oldest year, 2023-2024 here)
check_locked=$(engine_sql "$db2" "SELECT locked FROM setting WHERE school_year = 2023")
case $check_locked in 1 | t | true) ok "the demo's oldest year is locked" ;; *) fail "locked year" "$check_locked" ;; esac
refuse "follow-up in a locked year" followups.csv "FX3,$traj,2023-10-02,Iets,," "followups.csv:2: date: school year 2023-2024 is locked"
refuse "phase in a locked year" trajectory_phases.csv "$traj,sustain,2023-10-02" "trajectory_phases.csv:2: date: school year 2023-2024 is locked"
old_reg=$(awk -F, 'NR > 1 && $2 < "2024-08-01" && $2 >= "2023-09-01" && $4 == "client" {print $1; exit}' "$tmp/e1/registrations.csv")
refuse "mechanism of a registration of a locked year" mechanisms.csv "$old_reg,rehearsal" "mechanisms.csv:2: registration: school year 2023-2024 is locked"
if [ "$(engine_dump "$db2" | sha256sum)" = "$before" ]; then
  ok "nothing was written by the refused imports"
else
  fail "refused imports" "the database changed"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
