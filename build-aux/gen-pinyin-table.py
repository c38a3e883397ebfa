#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Card Office authors
#
# Turns the Unihan Mandarin readings (Debian package unicode-data:
# /usr/share/unicode/Unihan_Readings.txt.bz2, or a Unihan.zip / plain
# Unihan_Readings.txt) into the C table src/search/co-pinyin.c includes.
#
#   gen-pinyin-table.py UNIHAN SURNAMES OUTPUT.h
#
# SURNAMES is src/search/co-surnames.txt: the readings a character takes in
# the surname position; each must be one Unihan knows for that character.
#
# A character's readings are the union of kMandarin (its most common reading,
# first, used for sorting), kTGHZ2013 (通用规范汉字字典), kXHC1983 (现代汉语词典)
# and kHanyuPinlu; kHanyuPinyin (汉语大字典) only for a character none of those
# cover, because it also lists classical readings nobody uses for names
# (行 héng, 重 tóng, 朝 zhū, 仇 jū), which would only add false matches.
# Readings are stored without tones, ü written v; the most common reading
# keeps its tone (1-4, 0 for the neutral tone) for the sort key.

import bz2
import io
import re
import sys
import unicodedata
import zipfile

FIELDS = ('kMandarin', 'kTGHZ2013', 'kXHC1983', 'kHanyuPinlu')
FALLBACK = 'kHanyuPinyin'
# Direct-indexed range: CJK Extension A and the URO (every character in a
# typical roster); everything else goes into a sorted list.
BMP_FIRST = 0x3400
BMP_LAST = 0x9FFF
MAX_SYLLABLE = 6

TONE_MARKS = {'\u0304': 1, '\u0301': 2, '\u030c': 3, '\u0300': 4}


def open_readings(path):
    if path.endswith('.zip'):
        with zipfile.ZipFile(path) as z:
            return io.StringIO(z.read('Unihan_Readings.txt').decode('utf-8'))
    if path.endswith('.bz2'):
        return bz2.open(path, 'rt', encoding='utf-8')
    return open(path, encoding='utf-8')


def split_values(field, value):
    """Yields the tone-marked syllables of one Unihan field value."""
    for token in value.split():
        if ':' in token:
            token = token.split(':', 1)[1]
        token = re.sub(r'\(.*?\)', '', token).replace('*', '')
        for syl in token.split(','):
            if syl:
                yield syl


def parse_syllable(marked):
    """'lǚ' -> ('lv', 3); 'le' -> ('le', 0); None if not a plain syllable."""
    tone = 0
    letters = []
    for ch in unicodedata.normalize('NFD', marked.lower()):
        if ch in TONE_MARKS:
            tone = TONE_MARKS[ch]
        elif ch == '\u0308':            # ü
            if not letters or letters[-1] != 'u':
                return None
            letters[-1] = 'v'
        elif ch == '\u0302':            # ê
            continue
        elif 'a' <= ch <= 'z':
            letters.append(ch)
        else:
            return None
    syl = ''.join(letters)
    if not syl or len(syl) > MAX_SYLLABLE:
        return None
    return syl, tone


def read_table(path):
    raw = {}
    with open_readings(path) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            cp, field, value = line.rstrip('\n').split('\t', 2)
            if field in FIELDS or field == FALLBACK:
                raw.setdefault(int(cp[2:], 16), {})[field] = value

    table = {}
    hanyu = {}
    for cp, fields in raw.items():
        if FALLBACK in fields:
            hanyu[cp] = {p[0] for p in map(parse_syllable, split_values(FALLBACK, fields[FALLBACK]))
                         if p is not None}
        names = [f for f in FIELDS if f in fields] or [FALLBACK]
        readings = []           # (syllable, tone), the first is the sort reading
        for name in names:
            for marked in split_values(name, fields[name]):
                parsed = parse_syllable(marked)
                if parsed is None:
                    continue
                if all(parsed[0] != s for s, _ in readings):
                    readings.append(parsed)
        if readings:
            table[cp] = readings
    return table, hanyu


def read_surnames(path, table, hanyu):
    """[(surname, [[(syllable, tone), ...] per character])]"""
    surnames = []
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            name, per_char = fields[0], fields[1:]
            where = '%s:%d' % (path, lineno)
            if len(name) not in (1, 2) or len(per_char) != len(name):
                sys.exit('%s: expected one reading per character of %s' % (where, name))
            chars = []
            for ch, alternatives in zip(name, per_char):
                readings = []
                for marked in alternatives.split('|'):
                    parsed = parse_syllable(marked)
                    known = {s for s, _ in table.get(ord(ch), [])} | hanyu.get(ord(ch), set())
                    if parsed is None or parsed[0] not in known:
                        sys.exit('%s: %s is not a reading of %s' % (where, marked, ch))
                    readings.append(parsed)
                chars.append(readings)
            surnames.append((name, chars))
    return surnames


def c_array(ctype, name, values, per_line=16):
    out = ['static const %s %s[%d] =' % (ctype, name, len(values)), '{']
    for i in range(0, len(values), per_line):
        out.append('  ' + ', '.join(str(v) for v in values[i:i + per_line]) + ',')
    out.append('};')
    return '\n'.join(out)


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: gen-pinyin-table.py UNIHAN SURNAMES OUTPUT.h')
    table, hanyu = read_table(sys.argv[1])
    surnames = read_surnames(sys.argv[2], table, hanyu)
    if len(table) < 20000:
        sys.exit('gen-pinyin-table.py: %s has only %d readings' % (sys.argv[1], len(table)))

    syllables = sorted({s for readings in table.values() for s, _ in readings})
    syl_id = {s: i for i, s in enumerate(syllables)}

    # A class is one (sort reading, tone, other readings) combination; many
    # characters share one, which keeps the per-character index at 16 bits.
    classes = {(): 0}
    class_list = [()]

    def class_of(readings):
        key = (syl_id[readings[0][0]], readings[0][1]) + tuple(
            sorted(syl_id[s] for s, _ in readings[1:]))
        if key not in classes:
            classes[key] = len(class_list)
            class_list.append(key)
        return classes[key]

    for cp in sorted(table):
        class_of(table[cp])
    surname_rows = []
    for name, chars in surnames:
        cls = [class_of(readings) for readings in chars]
        second = ord(name[1]) if len(name) == 2 else 0
        surname_rows.append((ord(name[0]), second, cls[0], cls[1] if second else 0, name))
    surname_rows.sort()
    for a, b in zip(surname_rows, surname_rows[1:]):
        if a[:2] == b[:2]:
            sys.exit('gen-pinyin-table.py: %s is listed twice' % a[4])
    if len(class_list) > 0xFFFF:
        sys.exit('gen-pinyin-table.py: too many reading classes')

    class_first, class_count, class_tone, flat = [0], [0], [0], []
    for key in class_list[1:]:
        class_first.append(len(flat))
        class_count.append(len(key) - 1)
        class_tone.append(key[1])
        flat.append(key[0])
        flat.extend(key[2:])

    bmp = [0] * (BMP_LAST - BMP_FIRST + 1)
    extra_cp, extra_class = [], []
    for cp in sorted(table):
        if BMP_FIRST <= cp <= BMP_LAST:
            bmp[cp - BMP_FIRST] = class_of(table[cp])
        else:
            extra_cp.append(cp)
            extra_class.append(class_of(table[cp]))

    out = []
    out.append('/* Generated by build-aux/gen-pinyin-table.py from %s: do not edit. */'
               % ' and '.join(a.rsplit('/', 1)[-1] for a in sys.argv[1:3]))
    out.append('/* %d characters, %d syllables, %d reading classes */'
               % (len(table), len(syllables), len(class_list)))
    out.append('#define PINYIN_N_SYLLABLES %d' % len(syllables))
    out.append('#define PINYIN_MAX_SYLLABLE %d' % MAX_SYLLABLE)
    out.append('#define PINYIN_BMP_FIRST 0x%X' % BMP_FIRST)
    out.append('#define PINYIN_BMP_LAST 0x%X' % BMP_LAST)
    out.append('#define PINYIN_N_CLASSES %d' % len(class_list))
    out.append('#define PINYIN_N_EXTRA %d' % len(extra_cp))
    out.append('#define PINYIN_N_SURNAMES %d' % len(surname_rows))
    out.append('static const char pinyin_syllables[%d][%d] =' % (len(syllables), MAX_SYLLABLE + 1))
    out.append('{')
    for i in range(0, len(syllables), 10):
        out.append('  ' + ' '.join('"%s",' % s for s in syllables[i:i + 10]))
    out.append('};')
    out.append(c_array('guint16', 'pinyin_class_first', class_first))
    out.append(c_array('guint8', 'pinyin_class_count', class_count, 32))
    out.append(c_array('guint8', 'pinyin_class_tone', class_tone, 32))
    out.append(c_array('guint16', 'pinyin_class_syllables', flat))
    out.append(c_array('guint16', 'pinyin_bmp_class', bmp, 20))
    out.append(c_array('guint32', 'pinyin_extra_cp', extra_cp, 10))
    out.append(c_array('guint16', 'pinyin_extra_class', extra_class, 20))
    out.append('static const PinyinSurname pinyin_surnames[%d] =' % len(surname_rows))
    out.append('{')
    for first, second, c1, c2, name in surname_rows:
        out.append('  { 0x%X, 0x%X, { %d, %d } }, /* %s */' % (first, second, c1, c2, name))
    out.append('};')

    with open(sys.argv[3], 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
