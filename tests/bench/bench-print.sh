#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Card Office authors
#
# BENCH print: card-office-batch stickers against glabels-3-batch on the same
# CSV of N students with N distinct photos (about 25 KB each), on the same
# A4 2 x 5 card-size sheet (.glabels file written here with the equivalent
# objects: photo, texts, QR code of the card number). Medians of $BENCH_RUNS
# runs (default 3). glabels runs at N = 100 and 1,000 only: it is slow.
#
#   bench-print [BUILDDIR]     (run-bench runs it from BUILDDIR/tests/bench)
#
# Prints, for ours and glabels':
#   BENCH print.ms_per_label.nN     wall time / N
#   BENCH print.peak_rss.nN         peak resident memory (/usr/bin/time -v)
#   BENCH print.kb_per_label.nN     PDF size / N
# Needs python3, ImageMagick's convert (photos), /usr/bin/time (package
# time) and, for the comparison, glabels-3-batch (package glabels).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$(cd "$here/../.." && pwd)}
batch="$build/app/card-office-batch/card-office-batch"
counts=${BENCH_PRINT_COUNTS:-"100 1000 5000"}
glabels_counts=${BENCH_GLABELS_COUNTS:-"100 1000"}
runs=${BENCH_RUNS:-3}

[ -x "$batch" ] || { echo "bench-print: $batch not built" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-print: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
command -v convert >/dev/null || { echo "bench-print: convert missing (apt-get install imagemagick)" >&2; exit 1; }
if [ -z "${CARD_OFFICE_DATADIR:-}" ]; then
  CARD_OFFICE_DATADIR=$(cd "$here/../../.." 2>/dev/null && pwd)/data
  [ -f "$CARD_OFFICE_DATADIR/templates/a4-2x5-card.ini" ] || CARD_OFFICE_DATADIR=$(cd "$here/../../data" && pwd)
  export CARD_OFFICE_DATADIR
fi

max=0
for n in $counts; do [ "$n" -gt "$max" ] && max=$n; done

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-print-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Photos and CSV files: 24 different 300 x 400 JPEGs of at most 25 KB, each
# copied with its own comment segment, so every student's file differs.
python3 - "$work" "$max" <<'PY'
import os, subprocess, sys
work, n = sys.argv[1], int(sys.argv[2])
photos = os.path.join(work, "photos")
os.makedirs(photos)
bases = []
for i in range(24):
    path = os.path.join(work, "base%d.jpg" % i)
    subprocess.run(["convert", "-size", "300x400", "-seed", str(i + 1), "plasma:fractal",
                    "-attenuate", "0.4", "+noise", "Gaussian", "-quality", "92",
                    "-define", "jpeg:extent=25kb", path], check=True)
    bases.append(open(path, "rb").read())
surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
given = ["小明", "华", "伟", "娜", "静", "帆", "磊", "蕾", "杰", "敏", "子涵", "欣怡", "浩然", "雨桐"]
rows = []
for i in range(n):
    base = bases[i % len(bases)]
    comment = ("card-office bench photo %d" % i).encode()
    data = base[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + base[2:]
    path = os.path.join(photos, "%05d.jpg" % i)
    open(path, "wb").write(data)
    rows.append(",".join([
        "%08d" % (11000000 + i),
        surnames[i % len(surnames)] + given[(i // len(surnames)) % len(given)],
        "男" if i % 2 else "女",
        "北京市海淀区中关村第一小学" if i % 3 else "北京市第一〇一中学",
        "初中" if i % 2 else "高中",
        "2027-07-31",
        "%016d" % (1000123400000000 + i * 7919),
        "BJT%07d" % i,
        path]))
header = "教育ID,姓名,性别,学校,学段,有效期,一卡通号,北京通号,照片"
open(os.path.join(work, "all.csv"), "w", encoding="utf-8").write(header + "\n" + "\n".join(rows) + "\n")
PY

for n in $counts; do
  head -n $((n + 1)) "$work/all.csv" > "$work/data-$n.csv"
done

# The same sheet and objects for glabels (its merge source is set per run).
glabels_file () { # N
  cat <<EOF
<?xml version="1.0"?>
<Glabels-document xmlns="http://glabels.org/xmlns/3.0/">
  <Template brand="CardOffice" part="a4-2x5-card" size="A4" description="A4 2 x 5 card-size labels">
    <Meta category="label"/>
    <Label-rectangle id="0" width="85.6mm" height="54mm" round="3.18mm" x_waste="0mm" y_waste="0mm">
      <Markup-margin size="1mm"/>
      <Layout nx="2" ny="5" x0="14.4mm" y0="13.5mm" dx="95.6mm" dy="54mm"/>
    </Label-rectangle>
  </Template>
  <Objects id="0" rotate="False">
$(text_object 4 2.6 77.6 6.6 11.5 Bold Center '<Field name="学校"/>')
    <Object-line x="4mm" y="10mm" dx="77.6mm" dy="0mm" line_width="0.35mm" line_color="0x17467fff" a0="1" a1="0" a2="0" a3="1" a4="0" a5="0"/>
    <Object-image x="4mm" y="12.5mm" w="20mm" h="26.7mm" field="照片" a0="1" a1="0" a2="0" a3="1" a4="0" a5="0"/>
$(text_object 27 12.5 11.5 6 6.5 Regular Left '姓名')
$(text_object 39.5 12.5 22.5 6 12 Bold Left '<Field name="姓名"/>')
$(text_object 27 19.2 11.5 5 6.5 Regular Left '学段')
$(text_object 39.5 19.2 22.5 5 8.5 Regular Left '<Field name="学段"/>')
$(text_object 27 25 11.5 5 6.5 Regular Left '有效期')
$(text_object 39.5 25 22.5 5 8.5 Regular Left '<Field name="有效期"/>')
$(text_object 27 30.8 11.5 5 6.5 Regular Left '教育ID')
$(text_object 39.5 30.8 22.5 5 8.5 Regular Left '<Field name="教育ID"/>')
    <Object-barcode x="63mm" y="12.5mm" w="19mm" h="19mm" backend="libqrencode" style="IEC18004" text="False" checksum="True" format="10" color="0x000000ff" field="一卡通号" a0="1" a1="0" a2="0" a3="1" a4="0" a5="0"/>
    <Object-line x="4mm" y="41.2mm" dx="77.6mm" dy="0mm" line_width="0.2mm" line_color="0x9aa7b8ff" a0="1" a1="0" a2="0" a3="1" a4="0" a5="0"/>
$(text_object 4 43 14 8.5 7 Regular Left '一卡通号')
$(text_object 18.5 42.2 63.1 9.6 17 Bold Right '<Field name="一卡通号"/>')
  </Objects>
  <Merge type="Text/Comma/Line1Keys" src="$work/data-$1.csv"/>
</Glabels-document>
EOF
}

text_object () { # x y w h size weight justify content
  cat <<EOF
    <Object-text x="$1mm" y="$2mm" w="$3mm" h="$4mm" justify="$7" valign="Center" auto_shrink="True" a0="1" a1="0" a2="0" a3="1" a4="0" a5="0">
      <Span font_family="Noto Sans CJK SC" font_size="$5" font_weight="$6" font_italic="False" color="0x000000ff" line_spacing="1">$8</Span>
    </Object-text>
EOF
}

median () { # file column
  n=$(wc -l < "$1")
  awk -v c="$2" '{ print $c }' "$1" | sort -n | sed -n "$(( (n + 1) / 2 ))p"
}

# measure NAME N command...: medians of wall time (ms per label), peak RSS
# (MB) and PDF size (KB per label); the PDF is $work/out.pdf.
measure () {
  name=$1; n=$2; shift 2
  : > "$work/runs"
  i=0
  while [ $i -lt "$runs" ]; do
    rm -f "$work/out.pdf"
    start=$(date +%s%N)
    if ! /usr/bin/time -v -o "$work/time" "$@" > "$work/stdout" 2> "$work/stderr"; then
      # Exit 1 from card-office-batch means "written with warnings".
      if [ ! -s "$work/out.pdf" ]; then
        echo "bench-print: $name failed at N = $n:" >&2
        tail -5 "$work/stderr" >&2
        return 1
      fi
    fi
    end=$(date +%s%N)
    rss=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$work/time")
    size=$(stat -c %s "$work/out.pdf")
    echo "$(( (end - start) / 1000 )) $rss $size" >> "$work/runs"
    i=$((i + 1))
  done
  us=$(median "$work/runs" 1)
  rss=$(median "$work/runs" 2)
  size=$(median "$work/runs" 3)
  awk -v n="$n" -v us="$us" -v rss="$rss" -v size="$size" -v name="$name" 'BEGIN {
    printf "BENCH %s.ms_per_label.n%d %.3f ms\n", name, n, us / 1000 / n
    printf "BENCH %s.peak_rss.n%d %.1f MB\n", name, n, rss / 1024
    printf "BENCH %s.kb_per_label.n%d %.1f KB\n", name, n, size / 1024 / n
  }'
}

printf '%s\n' "print: card-office-batch stickers, a4-2x5-card, distinct ~25 KB JPEG photos; medians of $runs runs"
for n in $counts; do
  measure print "$n" "$batch" stickers --csv "$work/data-$n.csv" --template a4-2x5-card -o "$work/out.pdf"
done

if command -v glabels-3-batch >/dev/null; then
  for n in $glabels_counts; do
    glabels_file "$n" > "$work/sticker-$n.glabels"
    measure glabels "$n" glabels-3-batch -o "$work/out.pdf" "$work/sticker-$n.glabels"
  done
else
  echo "bench-print: glabels-3-batch not installed (apt-get install glabels): no comparison" >&2
fi
