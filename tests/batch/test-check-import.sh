#!/bin/sh
# card-office-batch check-import: a GBK list with Excel's damage and
# malformed rows, photos in a folder; one line per row, the summary, the
# exit status; a binary file; missing columns; Chinese messages.
set -u
batch=${1:?card-office-batch}
data=${2:?tests/batch/data}
server=${3:-}
fail=0
n=0
check () { # name expected actual
  n=$((n + 1))
  if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1: expected '$2', got '$3'"; fail=1; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/photos"
cp "$data/photo-260x320.jpg" "$tmp/photos/11010001.jpg"
cp "$data/photo-260x320.jpg" "$tmp/photos/11010005.jpg"
cp "$data/wide-400x300.jpg" "$tmp/photos/11010002.jpg"
printf '%s\r\n' '教育ID,姓名,性别,年级,班级,来源' \
  '11010001,王小明,男,1,1班,新入学' \
  '1.2E+07,李华,女,1,1班,新入学' \
  '1101003,张三,男,1,1班,新入学' \
  '11010002,李四,女,1,1班,外省转入' \
  '11010004,赵五,男,3,1班,市内转学' \
  '11010005,"钱,六",女,1,1班,新入学' \
  '11010006,孙七,女,1' \
  '11010007,"周八,女,1,1班,新入学' \
  '11010001,王小明,男,1,1班,新入学' | iconv -f UTF-8 -t GBK > "$tmp/list.csv"

out=$(LANGUAGE=en LC_ALL=C.UTF-8 "$batch" check-import --kind new-card --csv "$tmp/list.csv" --photos "$tmp/photos")
check exit-status 1 $?
line () { echo "$out" | grep "^line=$1 " | sed 's/ message=.*//'; }
check ok "line=2 edu_id=11010001 verdict=ok code=none" "$(line 2)"
check exponent "line=3 edu_id=1.2E+07 verdict=refused code=edu_id_excel_exponent" "$(line 3)"
check leading-zero "line=4 edu_id=1101003 verdict=refused code=edu_id_leading_zero_lost" "$(line 4)"
check leading-zero/proposes "1" "$(echo "$out" | grep '^line=4 ' | grep -c 'Is it 01101003?')"
check aspect "line=5 edu_id=11010002 verdict=refused code=photo_bad:aspect" "$(line 5)"
check ineligible "line=6 edu_id=11010004 verdict=refused code=ineligible:new_card_transfer_inside" "$(line 6)"
check quoted-comma "line=7 edu_id=11010005 verdict=ok code=none" "$(line 7)"
check short "line=8 edu_id=11010006 verdict=refused code=short_row" "$(line 8)"
check quote "line=9 edu_id=11010007 verdict=refused code=unterminated_quote" "$(line 9)"
check duplicate "line=10 edu_id=11010001 verdict=refused code=duplicate_row" "$(line 10)"
check duplicate/message "1" "$(echo "$out" | grep '^line=10 ' | grep -c 'already on line 2')"
check summary "rows=9 ok=2 warning=0 refused=7 encoding=gb18030 photos=checked roster=unchecked" \
  "$(echo "$out" | tail -n 1)"

# Chinese messages when the locale asks for them (skipped when no zh_CN locale is built).
zh=$(LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$batch" check-import --kind new-card --csv "$tmp/list.csv" --photos "$tmp/photos" | grep '^line=10 ')
case "$zh" in
  *"第 2 行"*) check zh-message ok ok ;;
  *) if [ -d "${CARD_OFFICE_LOCALEDIR:-/nonexistent}/zh_CN" ]; then check zh-message "第 2 行" "$zh"; else echo "ok $((n = n + 1)) - zh-message # SKIP no catalogue"; fi ;;
esac

# Only the good rows: exit 0.
printf '%s\n' 'edu_id,name,gender,grade,class,source' '11010001,Wang,M,1,1,new_entrant' > "$tmp/good.csv"
"$batch" check-import --kind new-card --csv "$tmp/good.csv" --photos "$tmp/photos" >/dev/null
check all-good 0 $?

# A sticker list without photos checks the data alone.
printf '%s\n' '教育ID,姓名,性别,年级,班级,来源' '11010001,甲,男,初一,1班,新入学' '11010002,乙,男,8,1班,新入学' > "$tmp/sticker.csv"
out=$(LANGUAGE=en "$batch" check-import --kind sticker --csv "$tmp/sticker.csv")
check sticker/exit 1 $?
check sticker/summary "rows=2 ok=1 warning=0 refused=1 encoding=utf-8 photos=unchecked roster=unchecked" "$(echo "$out" | tail -n 1)"
check sticker/grade "line=3 edu_id=11010002 verdict=refused code=ineligible:sticker_wrong_grade" "$(line 3)"

# A workbook instead of CSV, missing columns, bad options: exit 2.
printf 'PK\003\004binary' > "$tmp/book.xlsx"
"$batch" check-import --kind new-card --csv "$tmp/book.xlsx" >/dev/null 2>&1
check binary 2 $?
printf '%s\n' '学号,姓名' '1,2' > "$tmp/cols.csv"
err=$(LANGUAGE=en "$batch" check-import --kind new-card --csv "$tmp/cols.csv" 2>&1 >/dev/null)
check columns/exit 2 $?
check columns/names 1 "$(echo "$err" | grep -c 'No column for Education ID')"
"$batch" check-import --kind card --csv "$tmp/good.csv" >/dev/null 2>&1
check bad-kind 2 $?
CARD_OFFICE_PASSWORD= "$batch" check-import --kind new-card --csv "$tmp/good.csv" --server http://127.0.0.1:1 >/dev/null 2>&1
check server-needs-user 2 $?

# Against the reference server's roster: a known student (the demo's first
# education ID) under another name is a warning, an unknown one is refused.
if [ -n "$server" ] && [ -x "$server" ]; then
  "$server" --db "$tmp/server.sqlite" --port 0 --demo-size 20 > "$tmp/server.out" 2>/dev/null &
  spid=$!
  i=0
  while [ ! -s "$tmp/server.out" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  url=$(head -n 1 "$tmp/server.out")
  printf '%s\n' '教育ID,姓名,性别,年级,班级,来源' '11234567,某某,男,1,1班,新入学' '99999999,某某,男,1,1班,新入学' > "$tmp/roster.csv"
  out=$(CARD_OFFICE_PASSWORD=demo LANGUAGE=en "$batch" check-import --kind new-card --csv "$tmp/roster.csv" --server "$url" --user demo)
  check roster/exit 1 $?
  check roster/known "line=2 edu_id=11234567 verdict=warning code=name_mismatch" "$(line 2)"
  check roster/unknown "line=3 edu_id=99999999 verdict=refused code=unknown_student" "$(line 3)"
  check roster/summary "rows=2 ok=0 warning=1 refused=1 encoding=utf-8 photos=unchecked roster=checked" "$(echo "$out" | tail -n 1)"
  CARD_OFFICE_PASSWORD=wrong "$batch" check-import --kind new-card --csv "$tmp/roster.csv" --server "$url" --user demo >/dev/null 2>&1
  check roster/bad-password 2 $?
  kill "$spid"
  wait "$spid" 2>/dev/null
fi

echo "1..$n"
exit $fail
