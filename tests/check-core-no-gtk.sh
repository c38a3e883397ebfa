#!/bin/sh
# The core (src/) builds with no GTK: no GTK include in its sources, and no
# GTK include path on its compile lines.
set -eu
src=${1:?source root}
build=${2:?build root}
status=0
if grep -rnE '#include *<(gtk|gdk|adwaita)[/.]' "$src/src"; then
  echo "src/ includes GTK"; status=1
fi
if [ -f "$build/compile_commands.json" ]; then
  if python3 - "$build/compile_commands.json" <<'PY'
import json, sys
bad = [c["file"] for c in json.load(open(sys.argv[1]))
       if "/src/" in c["file"].replace("\\", "/") and "app/" not in c["file"]
       and ("gtk-4.0" in c["command"] or "libadwaita" in c["command"])]
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
  then :; else echo "a core source compiles with a GTK include path"; status=1; fi
fi
exit $status
