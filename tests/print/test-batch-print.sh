#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# card-office-batch stickers | forms | calibration, end to end: encodings,
# photo paths relative to the CSV, warnings that name the student, exit
# statuses (0 written, 1 written with warnings, 2 nothing written).
set -u
batch=${1:?card-office-batch}
data=${2:?tests/print/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
check () { # name expected actual
  n=$((n + 1))
  if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1: expected '$2', got '$3'"; fail=1; fi
}
contains () { # name needle file
  n=$((n + 1))
  if grep -qF -- "$2" "$3"; then echo "ok $n - $1"; else echo "not ok $n - $1: '$2' not in:"; sed 's/^/# /' "$3"; fail=1; fi
}
pages () { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
size () { pdfinfo "$1" 2>/dev/null | awk '/^Page size:/ { print $3 "x" $5 }'; }

echo "1..24"
cp "$data/red.jpg" "$data/blue.jpg" "$tmp/"
header='教育ID,姓名,性别,学校,学段,有效期,一卡通号,北京通号,照片'
{
  echo "$header"
  echo '11010001,王小明,male,北京市第一中学,junior,2027-07-31,1000123456789001,BJT1,red.jpg'
  echo '11010002,李华,female,北京市第一中学,senior,2027-07-31,1000123456789002,BJT2,missing.jpg'
  echo '11010003,张伟,男,北京市第一中学,初中,2027-07-31,1000123456789003,BJT3,blue.jpg'
} > "$tmp/utf8.csv"
iconv -f UTF-8 -t GBK "$tmp/utf8.csv" > "$tmp/gbk.csv"

# GBK, one photo missing: written, warning names the student, exit 1.
"$batch" stickers --csv "$tmp/gbk.csv" -o "$tmp/gbk.pdf" > "$tmp/out" 2> "$tmp/err"
check stickers/gbk/status 1 $?
contains stickers/gbk/summary "encoding=gb18030 stickers=3 pages=1 photos=2 placeholders=1 skipped=0" "$tmp/out"
contains stickers/gbk/warning-names-student "李华 (education ID 11010002)" "$tmp/err"
contains stickers/gbk/warning-says-why "no photo file" "$tmp/err"
check stickers/gbk/pages 1 "$(pages "$tmp/gbk.pdf")"
check stickers/gbk/a4 "595.276x841.89" "$(size "$tmp/gbk.pdf")"
pdftotext "$tmp/gbk.pdf" "$tmp/gbk.txt"
contains stickers/gbk/chinese-text "王小明" "$tmp/gbk.txt"

# UTF-8 with BOM, every photo there: exit 0.
{ printf '\357\273\277'; grep -v missing "$tmp/utf8.csv"; } > "$tmp/bom.csv"
"$batch" stickers --csv "$tmp/bom.csv" --template a4-3x7 --start-at 20 -o "$tmp/bom.pdf" > "$tmp/out" 2> "$tmp/err"
check stickers/bom/status 0 $?
contains stickers/bom/summary "template=a4-3x7 encoding=utf-8-bom stickers=2 pages=1" "$tmp/out"

# Start at 20 of 21 with 3 stickers: the third goes on a second sheet.
"$batch" stickers --csv "$tmp/utf8.csv" --template a4-3x7 --start-at 20 -o "$tmp/start.pdf" > /dev/null 2>&1
check stickers/start-at/pages 2 "$(pages "$tmp/start.pdf")"

# A short row is printed with what it holds and reported by line.
{ cat "$tmp/utf8.csv"; echo '11010004,赵磊,男,北京市第一中学,初中,2027-07-31,1000123456789004'; } > "$tmp/short.csv"
"$batch" stickers --csv "$tmp/short.csv" -o "$tmp/short.pdf" > "$tmp/out" 2> "$tmp/err"
check stickers/short-row/status 1 $?
contains stickers/short-row/line "line 5: 赵磊 (11010004): 7 fields where the header has 9" "$tmp/err"
contains stickers/short-row/printed "stickers=4" "$tmp/out"

# Nothing written: a missing column, a bad option, a workbook, no output.
echo '姓名,教育ID' > "$tmp/nocard.csv"; echo '王小明,11010001' >> "$tmp/nocard.csv"
"$batch" stickers --csv "$tmp/nocard.csv" -o "$tmp/x.pdf" > /dev/null 2> "$tmp/err"
check stickers/missing-column/status 2 $?
contains stickers/missing-column/names-it "一卡通号" "$tmp/err"
"$batch" stickers --csv "$tmp/utf8.csv" --start-at 11 -o "$tmp/x.pdf" > /dev/null 2>&1
check stickers/start-at-too-far 2 $?
"$batch" stickers --csv "$tmp/utf8.csv" --template no-such-sheet -o "$tmp/x.pdf" > /dev/null 2>&1
check stickers/unknown-template 2 $?
printf 'PK\003\004\024\000\006\000' > "$tmp/roster.csv"
"$batch" stickers --csv "$tmp/roster.csv" -o "$tmp/x.pdf" > /dev/null 2> "$tmp/err"
check stickers/workbook 2 $?
"$batch" stickers --csv "$tmp/utf8.csv" > /dev/null 2>&1
check stickers/no-output 2 $?
"$batch" stickers --list-templates > "$tmp/out" 2>&1
contains stickers/list-templates "a4-3x7" "$tmp/out"

# Forms: one page per row; handout lists per class; calibration page.
"$batch" forms --csv "$tmp/utf8.csv" -o "$tmp/forms.pdf" > "$tmp/out" 2>&1
check forms/status 0 $?
check forms/pages 3 "$(pages "$tmp/forms.pdf")"
"$batch" forms --handout --csv "$tmp/utf8.csv" -o "$tmp/handout.pdf" > "$tmp/out" 2>&1
contains forms/handout "kind=handout encoding=utf-8 items=3 pages=1" "$tmp/out"
"$batch" calibration --template a4-3x7 --offset-x 0.5 -o "$tmp/cal.pdf" > /dev/null 2>&1
check calibration/status 0 $?
[ -f "$tmp/x.pdf" ] && fail=1
exit $fail
