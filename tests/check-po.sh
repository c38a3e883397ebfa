#!/bin/sh
# Fails when zh_CN.po misses a translation: a string in the sources that the
# catalogue lacks, or an entry that is untranslated or fuzzy; or when a file
# with translatable strings is missing from po/POTFILES.in.
set -eu
top=${1:?source root}
cd "$top"
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Every file listed exists; every file with translatable strings is listed.
grep -v '^#' po/POTFILES.in | sed '/^$/d' > "$tmp/listed"
while read -r f; do
  [ -f "$f" ] || { echo "POTFILES.in lists a missing file: $f"; status=1; }
done < "$tmp/listed"
{
  grep -rlE '(^|[^A-Za-z0-9_])(N?C?_|g_dngettext|ngettext) ?\(' app --include='*.c' || true
  grep -rl 'translatable="yes"' ui data --include='*.ui' || true
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null || true
} | sort -u > "$tmp/needed"
for f in $(cat "$tmp/needed"); do
  grep -qx "$f" "$tmp/listed" || { echo "missing from po/POTFILES.in: $f"; status=1; }
done
if grep -rn 'translatable="yes"\|_ (\|_(' src --include='*.c' --include='*.h' >/dev/null 2>&1; then
  echo "src/ (the core) must not hold user-facing strings:"
  grep -rn 'translatable="yes"\|[^A-Za-z0-9_]_ ("\|[^A-Za-z0-9_]_("' src --include='*.c' --include='*.h' || true
fi

# 2. Extract the strings now in the sources and merge the catalogue with them.
xgettext --from-code=UTF-8 --add-comments --package-name=card-office \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --files-from=po/POTFILES.in --directory=. --output="$tmp/card-office.pot"
for lang in $(grep -v '^#' po/LINGUAS); do
  msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/card-office.pot" -o "$tmp/$lang.po"
  stats=$(msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  echo "$lang: $stats"
  case "$stats" in
    *fuzzy*|*untranslated*) status=1
      msgattrib --untranslated --only-fuzzy "$tmp/$lang.po" 2>/dev/null | grep '^msgid' | head -20
      msgattrib --untranslated "$tmp/$lang.po" | grep '^msgid' | head -20 ;;
  esac
  # Entries in the catalogue that no source uses any more.
  obsolete=$(msgattrib --only-obsolete "$tmp/$lang.po" | grep -c '^#~ msgid' || true)
  [ "$obsolete" -eq 0 ] || echo "$lang: $obsolete obsolete entries (harmless; run update-po)"
done
exit $status
