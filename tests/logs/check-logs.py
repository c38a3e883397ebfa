#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Card Office authors
#
# No personal data in logs (issue 8, item 1): runs a set of the suite's
# tests (as `meson test` would: command and environment from
# meson-info/intro-tests.json) with G_MESSAGES_DEBUG=all, keeps everything
# they and the servers they start print, and looks in it for the demo
# students' names, education IDs and phone numbers (and those of the
# reissues' recipients), as the reference server's --demo seeds them (read
# back through its API), plus the API test fixtures'. A hit fails and names
# the test, the log line and, found from its log domain and format, the
# file and line of the log call.
#
#   check-logs.py --build-root DIR --source-root DIR --server PATH TEST...
#
# TAP output, one test per test program. GUI tests are skipped without a
# display.

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import uuid

# Demo sizes the tests start the server with (default, tests/gui/test-sign-in.c).
DEMO_SIZES = [1200, 60]
LOGINS = [('demo', 'demo'), ('demo2', 'demo2')]
# tests/api/test-fixtures.h and test-json.c
FIXTURE_VALUES = ['欧阳子涵', '欧阳娜娜', '13800138000', '10234567']

LOG_CALLS = ('g_debug', 'g_info', 'g_message', 'g_warning', 'g_critical', 'g_error',
             'g_log', 'g_printerr', 'g_print', 'g_test_message')


def api(url, method, path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header('Content-Type', 'application/json')
    if token:
        req.add_header('Authorization', 'Bearer ' + token)
    if method != 'GET':
        req.add_header('Idempotency-Key', str(uuid.uuid4()))
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def demo_values(server, size):
    """Names, education IDs and phone numbers the demo data holds."""
    values = set()
    tmp = tempfile.mkdtemp(prefix='co-logs-')
    proc = subprocess.Popen([server, '--db', os.path.join(tmp, 'server.sqlite3'), '--port', '0',
                             '--quiet', '--demo', '--demo-size', str(size)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith('http://127.0.0.1:'), url
        for user, password in LOGINS:
            token = api(url, 'POST', '/api/v1/auth/login',
                        body={'username': user, 'password': password})['token']
            cursor = None
            while True:
                path = '/api/v1/roster?limit=2000'
                if cursor:
                    path += '&since=' + urllib.request.quote(cursor)
                page = api(url, 'GET', path, token)
                for s in page['students']:
                    values.add(s['name'])
                    values.add(s['edu_id'])
                    r = s.get('reissue') or {}
                    for key in ('recipient', 'phone'):
                        if r.get(key):
                            values.add(r[key])
                cursor = page.get('next_cursor')
                if not page.get('has_more'):
                    break
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return values


def make_matcher(values):
    """One regex; digits only match as whole numbers, names anywhere."""
    parts = []
    for v in sorted(values, key=len, reverse=True):
        if not v or len(v) < 2:
            continue
        e = re.escape(v)
        parts.append(r'(?<![0-9])' + e + r'(?![0-9])' if v.isdigit() else e)
    return re.compile('|'.join(parts))


def c_format_to_regex(fmt):
    out = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == '%' and i + 1 < len(fmt):
            m = re.match(r'%[-+ #0]*[0-9*]*(?:\.[0-9*]+)?(?:hh|h|ll|l|z|j|t|L)?([a-zA-Z%])', fmt[i:])
            if m:
                out.append('%' if m.group(1) == '%' else '.*?')
                i += len(m.group(0))
                continue
        out.append(re.escape(c))
        i += 1
    return ''.join(out)


def c_unescape(s):
    try:
        return s.encode('latin-1', 'backslashreplace').decode('unicode_escape').encode('latin-1').decode('utf-8')
    except (UnicodeDecodeError, UnicodeEncodeError):
        return s


class LogCalls:
    """Log calls of the sources by log domain, to name a hit's origin."""

    def __init__(self, source_root):
        self.by_domain = {}
        call_re = re.compile(r'\b(' + '|'.join(LOG_CALLS) + r')\s*\(')
        for top in ('src', 'app', 'tests'):
            for dirpath, _, files in os.walk(os.path.join(source_root, top)):
                for name in files:
                    if not name.endswith('.c') and not name.endswith('.h'):
                        continue
                    path = os.path.join(dirpath, name)
                    with open(path, encoding='utf-8', errors='replace') as f:
                        text = f.read()
                    m = re.search(r'#define\s+G_LOG_DOMAIN\s+"([^"]+)"', text)
                    domain = m.group(1) if m else None
                    for call in call_re.finditer(text):
                        # The format: the string literals after the call's "(".
                        rest = text[call.end():call.end() + 600]
                        lits = re.match(r'\s*(?:[A-Za-z_][A-Za-z_0-9]*\s*,\s*)?((?:"(?:[^"\\]|\\.)*"\s*)+)', rest)
                        if not lits:
                            continue
                        fmt = ''.join(c_unescape(x) for x in re.findall(r'"((?:[^"\\]|\\.)*)"', lits.group(1)))
                        line = text.count('\n', 0, call.start()) + 1
                        rel = os.path.relpath(path, source_root)
                        try:
                            rx = re.compile(c_format_to_regex(fmt), re.S)
                        except re.error:
                            continue
                        self.by_domain.setdefault(domain, []).append((rx, fmt, rel, line))

    def origin(self, log_line):
        m = re.match(r'^(?:\(.*?\): )?(?:# )?([A-Za-z0-9_.-]+)-(DEBUG|INFO|Message|WARNING|CRITICAL|ERROR)[ *]*: '
                     r'(?:[0-9:.]+: )?(.*)$', log_line)
        if m:
            domain, message = m.group(1), m.group(3)
            candidates = self.by_domain.get(domain, [])
        else:
            message = log_line
            candidates = [c for cs in self.by_domain.values() for c in cs]
        best = None
        for rx, fmt, rel, line in candidates:
            if rx.fullmatch(message) or rx.search(message):
                literal = len(re.sub(r'%[^a-zA-Z%]*[a-zA-Z%]', '', fmt))
                if best is None or literal > best[0]:
                    best = (literal, '%s:%d' % (rel, line))
        return best[1] if best else 'unknown log call'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build-root', required=True)
    ap.add_argument('--source-root', required=True)
    ap.add_argument('--server', required=True)
    ap.add_argument('tests', nargs='+')
    args = ap.parse_args()

    with open(os.path.join(args.build_root, 'meson-info', 'intro-tests.json'), encoding='utf-8') as f:
        known = {t['name']: t for t in json.load(f)}

    values = set(FIXTURE_VALUES)
    for size in DEMO_SIZES:
        values |= demo_values(args.server, size)
    matcher = make_matcher(values)
    calls = LogCalls(args.source_root)

    print('1..%d' % len(args.tests))
    print('# %d names, education IDs and phone numbers to look for' % len(values))
    failed = 0
    for n, name in enumerate(args.tests, 1):
        test = known.get(name)
        if test is None:
            print('not ok %d %s # no such test' % (n, name))
            failed += 1
            continue
        if any(s.split(':')[-1] == 'gui' for s in test['suite']) and not os.environ.get('DISPLAY'):
            print('ok %d %s # SKIP no display' % (n, name))
            continue
        env = dict(os.environ)
        env.update(test.get('env') or {})
        env['G_MESSAGES_DEBUG'] = 'all'
        proc = subprocess.run(test['cmd'], env=env, cwd=test.get('workdir') or args.build_root,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=(test.get('timeout') or 300) * 2)
        output = proc.stdout.decode('utf-8', errors='replace')
        hits = []
        for line in output.splitlines():
            # The test's own verdict lines name what it checked, not what it logged.
            if line.startswith(('ok ', 'not ok ')):
                continue
            m = matcher.search(line)
            if m:
                hits.append((line, m.group(0)))
        n_lines = output.count('\n')
        # A test's own narration (g_test_message of its fixtures) is not
        # the product's logging: noted, not failed.
        product_hits = []
        for line, what in hits:
            origin = calls.origin(line)
            if origin.startswith('tests' + os.sep):
                print('#   (test narration, allowed) %s: "%s"' % (origin, what))
            else:
                product_hits.append((line, what, origin))
        hits = product_hits
        if proc.returncode not in (0, 77):
            print('not ok %d %s # exited with %d' % (n, name, proc.returncode))
            failed += 1
        elif hits:
            print('not ok %d %s # %d log lines with personal data' % (n, name, len(hits)))
            seen = set()
            for line, what, origin in hits:
                if origin in seen:
                    continue
                seen.add(origin)
                print('#   %s: "%s" in: %s' % (origin, what, line[:300]))
            failed += 1
        else:
            print('ok %d %s # %d lines of output, no personal data' % (n, name, n_lines))
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
