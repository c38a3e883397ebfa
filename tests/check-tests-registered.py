#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Every test source under tests/ (test-*.c, test-*.sh) runs as a meson test:
# a .c file is compiled into a target that some test() runs, a .sh file is
# itself the command of a test. A merge that drops a name from a foreach list
# leaves the file on disk and the test silently gone; this fails then.
# Usage: check-tests-registered.py SOURCE_ROOT BUILD_ROOT
import json
import os
import sys

src, build = (os.path.realpath(p) for p in sys.argv[1:3])
info = os.path.join(build, 'meson-info')
with open(os.path.join(info, 'intro-targets.json')) as f:
    targets = json.load(f)
with open(os.path.join(info, 'intro-tests.json')) as f:
    tests = json.load(f)

run = set()  # every path a test runs, or passes as an argument
for t in tests:
    for arg in t['cmd']:
        run.add(os.path.realpath(arg))

built_into = {}  # source file -> the files of the targets compiling it
for t in targets:
    for group in t['target_sources']:
        for s in group.get('sources', []):
            for out in t['filename']:
                built_into.setdefault(os.path.realpath(s), set()).add(os.path.realpath(out))

missing = []
for root, dirs, files in os.walk(os.path.join(src, 'tests')):
    for name in sorted(files):
        if not name.startswith('test-'):
            continue
        path = os.path.realpath(os.path.join(root, name))
        rel = os.path.relpath(path, src)
        if name.endswith('.c'):
            outs = built_into.get(path, set())
            if not outs:
                missing.append(rel + ': not compiled into any target')
            elif not outs & run:
                missing.append(rel + ': compiled, but no test runs it')
        elif name.endswith('.sh'):
            if path not in run:
                missing.append(rel + ': no test runs it')

print('1..1')
if missing:
    for m in missing:
        print('# ' + m)
    print('not ok 1 - every test source is a registered test')
    sys.exit(1)
print('ok 1 - every test source is a registered test')
