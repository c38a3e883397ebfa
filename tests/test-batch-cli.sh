#!/bin/sh
# card-office-batch: due dates over the official calendar and ID checks.
set -u
batch=${1:?card-office-batch}
fail=0
check () { # name expected actual
  if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1: expected '$2', got '$3'"; fail=1; fi
}
echo "1..6"
# Paid Monday 2025-01-20: 春节 2025-01-28..02-04 off, 01-26 and 02-08 worked.
check due-date/spring-festival \
  "paid=2025-01-20 due=2025-02-21 working_days=20 calendar=official" \
  "$("$batch" due-date --paid 2025-01-20 2>/dev/null)"
# 2027 is not in the calendar: weekends only, and it says so.
check due-date/no-data \
  "paid=2027-03-01 due=2027-03-29 working_days=20 calendar=weekends-only" \
  "$("$batch" due-date --paid 2027-03-01 2>/dev/null)"
"$batch" due-date --paid 2025-02-30 >/dev/null 2>&1
check due-date/bad-date 2 $?
"$batch" check-edu-id 12345678 >/dev/null 2>&1
check edu-id/ok 0 $?
check edu-id/refused "edu_id=1234567 refused=edu_id_invalid" "$("$batch" check-edu-id 1234567 2>/dev/null)"
"$batch" check-edu-id 12345678 1.2E+07 >/dev/null 2>&1
check edu-id/exit-status 1 $?
exit $fail
