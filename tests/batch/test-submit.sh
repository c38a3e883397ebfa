#!/bin/sh
# card-office-batch submit against the reference server: a list of 300
# new-card rows (some with photos) sent in chunks of 20; the submission is
# killed with SIGKILL halfway, then run again: every row is submitted exactly
# once, counted in the server's database. Then a cancel (SIGTERM) and resume,
# a server stopped mid-way and restarted, a sticker list, the reports (CSV
# byte for byte, XLSX read back) and bad options.
set -u
batch=${1:?card-office-batch}
server_bin=${2:?card-office-server}
data=${3:?tests/batch/data}
fail=0
n=0
check () { # name expected actual
  n=$((n + 1))
  if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1: expected '$2', got '$3'"; fail=1; fi
}
tmp=$(mktemp -d)
server_pid=
cleanup () {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

db=$tmp/server.sqlite3
port=0
start_server () {
  : > "$tmp/server.out"
  "$server_bin" --db "$db" --port "$port" --quiet --demo --today 2026-03-20 > "$tmp/server.out" 2>"$tmp/server.err" &
  server_pid=$!
  i=0
  while [ "$(wc -l < "$tmp/server.out")" -lt 1 ] && [ $i -lt 2400 ] && kill -0 "$server_pid" 2>/dev/null; do
    sleep 0.05; i=$((i + 1))
  done
  url=$(head -n 1 "$tmp/server.out")
  port=${url##*:}
}
stop_server () {
  kill "$server_pid"; wait "$server_pid" 2>/dev/null; server_pid=
}
# Waits (bounded) until FILE has at least N lines matching PATTERN.
wait_lines () { # file pattern n
  i=0
  while [ $i -lt 1200 ]; do
    c=$(grep -c "$2" "$1" 2>/dev/null)
    [ "${c:-0}" -ge "$3" ] && break
    sleep 0.05; i=$((i + 1))
  done
}
sql () { sqlite3 "$db" "$1"; }

start_server
check server-started "http://127.0.0.1:" "$(echo "$url" | cut -c1-17)"
[ -n "$url" ] || { sed "s/^/# /" "$tmp/server.err"; exit 1; }
printf 'demo\n' > "$tmp/password"
chmod 600 "$tmp/password"

# 300 grade-1 entrants with IDs the demo does not use (9 followed by 7 digits
# is checked free below).
{
  printf '%s\r\n' '教育ID,姓名,性别,年级,班级,来源'
  i=0
  while [ $i -lt 300 ]; do
    id=$(printf '9%07d' $((i * 7 + 13)))
    printf '%s,学生%d,%s,1,%d班,新入学\r\n' "$id" $i "$( [ $((i % 2)) = 0 ] && echo 男 || echo 女)" $((i % 5 + 1))
    i=$((i + 1))
  done
} > "$tmp/list.csv"
check ids-free 0 "$(sql "SELECT count(*) FROM students WHERE edu_id LIKE '9%' AND length(edu_id) = 8 AND CAST(substr(edu_id, 2) AS INTEGER) <= 2106")"

submit () { # journal [extra...]
  j=$1; shift
  LANGUAGE=en "$batch" submit --kind new-card --csv "$tmp/list.csv" \
    --server "$url" --user demo --password-file "$tmp/password" --journal "$j" --chunk-size 20 "$@"
}

# 1. SIGKILL after the 5th answer of 150 (chunks of 2, so a busy machine cannot
# finish before the kill), then resume. (The program itself in the
# background, not a shell function, so the signal reaches it.)
LANGUAGE=en "$batch" submit --kind new-card --csv "$tmp/list.csv" --server "$url" --user demo \
  --password-file "$tmp/password" --journal "$tmp/job.journal" --chunk-size 2 > "$tmp/run1.out" 2>"$tmp/run1.err" &
pid=$!
wait_lines "$tmp/run1.out" '^progress ' 5
kill -KILL $pid
wait $pid 2>/dev/null
check killed/journal-0600 "-rw-------" "$(ls -l "$tmp/job.journal" | cut -c1-10)"
done_before=$(sqlite3 "$tmp/job.journal" "SELECT count(*) FROM chunks WHERE state = 1")
check killed/halfway yes "$( [ "$done_before" -ge 5 ] && [ "$done_before" -lt 150 ] && echo yes || echo "no ($done_before)")"
check killed/prepared "prepared rows=300 chunks=150 skipped=0" "$(head -n 1 "$tmp/run1.out")"

submit "$tmp/job.journal" > "$tmp/run2.out" 2>"$tmp/run2.err"
check resumed/exit 0 $?
echo "# killed after $done_before of 150 chunks"
check resumed/first-line "resumed rows=300 chunks_done=$done_before chunks=150" "$(head -n 1 "$tmp/run2.out")"
check resumed/summary "summary rows=300 accepted=300 refused=0 pending=0 photos_sent=0 photos_failed=0 complete=yes" \
  "$(tail -n 1 "$tmp/run2.out")"
[ $fail = 0 ] || cat "$tmp/run1.err" "$tmp/run2.err"

# Counted on the server: one new_card per student, one batch per chunk,
# each row in exactly one batch, ten photos.
check server/new-cards 300 "$(sql "SELECT count(*) FROM audit WHERE action = 'new_card' AND edu_id LIKE '9%'")"
check server/distinct 300 "$(sql "SELECT count(DISTINCT edu_id) FROM audit WHERE action = 'new_card' AND edu_id LIKE '9%'")"
check server/batches 150 "$(sql "SELECT count(*) FROM batches WHERE kind = 'new_card'")"
check server/rows-once "300 300" "$(sql "SELECT count(*) || ' ' || count(DISTINCT json_extract(r.value, '\$.edu_id')) FROM batches b, json_each(b.result) r WHERE b.kind = 'new_card'")"
check server/cards 300 "$(sql "SELECT count(*) FROM students s JOIN cards c ON c.card_no = s.card_no WHERE s.edu_id LIKE '9%' AND c.status = 'not_issued'")"

# Again on a finished journal: nothing is sent.
submit "$tmp/job.journal" > "$tmp/run3.out" 2>&1
check finished/exit 0 $?
check finished/no-progress 0 "$(grep -c '^progress ' "$tmp/run3.out")"
check finished/batches 150 "$(sql "SELECT count(*) FROM batches WHERE kind = 'new_card'")"

# 2. The reports: CSV byte for byte (BOM, CRLF), XLSX read back.
submit "$tmp/job.journal" --report-csv "$tmp/report.csv" --report-xlsx "$tmp/report.xlsx" >/dev/null 2>&1
check report/exit 0 $?
check report/bom "efbbbf" "$(head -c 3 "$tmp/report.csv" | od -An -tx1 | tr -d ' \n')"
check report/header "Line,Education ID,Name,Result,Reason" "$(head -n 1 "$tmp/report.csv" | tail -c +4 | tr -d '\r')"
check report/crlf 301 "$(grep -c "$(printf '\r')\$" "$tmp/report.csv")"
check report/line2 "2,90000013,学生0,Accepted," "$(sed -n 2p "$tmp/report.csv" | tr -d '\r')"
xlsx=$(python3 - "$tmp/report.xlsx" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
strings = re.findall(r'<t[^>]*>([^<]*)</t>', z.read('xl/sharedStrings.xml').decode())
sheet = z.read('xl/worksheets/sheet1.xml').decode()
rows = re.findall(r'<row r="(\d+)"', sheet)
print(len(rows), strings[0], strings[1], '90000013' in strings, '学生0' in strings, 'Accepted' in strings)
PY
)
check report/xlsx "301 Line Education ID True True True" "$xlsx"

# 3. Cancel (SIGTERM) and resume, on a sticker list of the same students:
# grade 1 is refused locally, so use new grade-7 students made by the server.
sticker_ids=$(sql "SELECT edu_id FROM students WHERE grade = 7 AND entry = 'new_entrant' LIMIT 60")
{
  printf '%s\n' 'edu_id,name,gender,grade,class,source'
  for id in $sticker_ids; do printf '%s,S,M,7,1,new_entrant\n' "$id"; done
} > "$tmp/stickers.csv"
n_stickers=$(echo "$sticker_ids" | wc -w)
if [ "$n_stickers" -ge 10 ]; then
  LANGUAGE=en "$batch" submit --kind sticker --csv "$tmp/stickers.csv" --server "$url" --user demo \
    --password-file "$tmp/password" --journal "$tmp/stickers.journal" --chunk-size 2 > "$tmp/s1.out" 2>"$tmp/s1.err" &
  pid=$!
  wait_lines "$tmp/s1.out" '^progress ' 2
  kill -TERM $pid
  wait $pid
  status=$?
  if grep -q 'complete=yes' "$tmp/s1.out"; then
    echo "ok $((n = n + 1)) - cancel/stopped # SKIP finished before the signal"
  else
    check cancel/exit 1 $status
    check cancel/says-resume 1 "$(grep -c 'again to resume' "$tmp/s1.err")"
  fi
  LANGUAGE=en "$batch" submit --kind sticker --server "$url" --user demo \
    --password-file "$tmp/password" --journal "$tmp/stickers.journal" > "$tmp/s2.out" 2>&1
  check cancel/resumed 0 $?
  total=$(sql "SELECT count(*) FROM stickers")
  once=$(sql "SELECT count(DISTINCT edu_id) FROM stickers")
  check cancel/stickers-once "$total" "$once"
  check cancel/all-answered "0" "$(grep -c 'result=pending' "$tmp/s2.out")"
  check cancel/wrong-kind 2 "$(LANGUAGE=en "$batch" submit --kind new-card --server "$url" --user demo --password-file "$tmp/password" --journal "$tmp/stickers.journal" >/dev/null 2>&1; echo $?)"
else
  echo "ok $((n = n + 1)) - cancel # SKIP no new grade-7 students in the demo"
fi

# 4. The server goes away mid-way and comes back on the same port.
{
  printf '%s\r\n' '教育ID,姓名,性别,年级,班级,来源'
  i=0
  while [ $i -lt 200 ]; do printf '8%07d,乙%d,女,1,2班,外省转入\r\n' $((i * 3 + 5)) $i; i=$((i + 1)); done
} > "$tmp/list2.csv"
LANGUAGE=en "$batch" submit --kind new-card --csv "$tmp/list2.csv" --server "$url" --user demo \
  --password-file "$tmp/password" --journal "$tmp/net.journal" --chunk-size 10 > "$tmp/n1.out" 2>"$tmp/n1.err" &
pid=$!
wait_lines "$tmp/n1.out" '^progress ' 3
stop_server
wait $pid
check network/stopped 1 $?
start_server
LANGUAGE=en "$batch" submit --kind new-card --server "$url" --user demo \
  --password-file "$tmp/password" --journal "$tmp/net.journal" > "$tmp/n2.out" 2>&1
check network/resumed 0 $?
check network/summary "summary rows=200 accepted=200 refused=0 pending=0 photos_sent=0 photos_failed=0 complete=yes" \
  "$(tail -n 1 "$tmp/n2.out")"
check network/server-once "200 200" "$(sql "SELECT count(*) || ' ' || count(DISTINCT edu_id) FROM audit WHERE action = 'new_card' AND edu_id LIKE '8%'")"

# 5. Photos: every row of a short list has one; they go after their chunk.
mkdir "$tmp/photos"
{
  printf '%s\r\n' '教育ID,姓名,性别,年级,班级,来源'
  for i in 1 2 3 4 5; do
    printf '7000000%d,丙%d,男,1,3班,新入学\r\n' $i $i
    cp "$data/photo-260x320.jpg" "$tmp/photos/7000000$i.jpg"
  done
} > "$tmp/list3.csv"
LANGUAGE=en "$batch" submit --kind new-card --csv "$tmp/list3.csv" --photos "$tmp/photos" --server "$url" \
  --user demo --password-file "$tmp/password" --journal "$tmp/photos.journal" --chunk-size 2 > "$tmp/p.out" 2>&1
check photos/exit 0 $?
check photos/summary "summary rows=5 accepted=5 refused=0 pending=0 photos_sent=5 photos_failed=0 complete=yes" \
  "$(tail -n 1 "$tmp/p.out")"
check photos/server 5 "$(sql "SELECT count(*) FROM students WHERE edu_id LIKE '7000000%' AND photo_etag IS NOT NULL")"

# 6. Bad options: exit 2, nothing sent.
LANGUAGE=en "$batch" submit --kind new-card --csv "$tmp/list.csv" --server "$url" --user demo \
  --password-file "$tmp/nope" --journal "$tmp/x.journal" >/dev/null 2>&1
check bad/password-file 2 $?
printf 'wrong\n' > "$tmp/wrong"
LANGUAGE=en "$batch" submit --kind new-card --csv "$tmp/list.csv" --server "$url" --user demo \
  --password-file "$tmp/wrong" --journal "$tmp/y.journal" >/dev/null 2>&1
check bad/sign-in 2 $?
LANGUAGE=en "$batch" submit --kind new-card --csv "$tmp/list.csv" --server "$url" --user demo \
  --password-file "$tmp/password" >/dev/null 2>&1
check bad/no-journal 2 $?

echo "1..$n"
exit $fail
