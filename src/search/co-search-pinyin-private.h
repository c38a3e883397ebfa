/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The pinyin table behind CoSearchIndex and the pinyin sort key: Mandarin
 * readings per character, generated at build time from Unihan by
 * build-aux/gen-pinyin-table.py, and the surname readings of co-surnames.txt.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest toneless syllable ("zhuang"). */
#define CO_PINYIN_MAX_SYLLABLE 6

/* At most this many characters of a name take part in pinyin matching and
 * in the sort key; the rest still matches as a substring. */
#define CO_PINYIN_MAX_SLOTS 32

/* A reading class is one set of readings (its first is the most common, or
 * the surname reading); class 0 is a character without any reading. Syllables
 * are toneless lowercase ASCII, "v" for ü ("lv", "nve"). */
typedef struct
{
  const guint16 *class_first;      /* index into class_syllables */
  const guint8  *class_count;      /* number of readings */
  const guint8  *class_tone;       /* tone of the first reading, 0 for neutral */
  const guint16 *class_syllables;
  const char   (*syllables)[CO_PINYIN_MAX_SYLLABLE + 1];
  guint          n_syllables;
  guint          n_classes;
} CoPinyinTables;

/* How a character takes part in a name's pinyin. */
typedef enum
{
  CO_PINYIN_SKIP,     /* punctuation, spaces, 间隔号 · : ignored */
  CO_PINYIN_READING,  /* a character with readings */
  CO_PINYIN_OPAQUE,   /* a letter, digit or unknown character: no pinyin */
} CoPinyinKind;

typedef struct
{
  gunichar ch;
  guint16  cls;       /* 0 for CO_PINYIN_OPAQUE */
} CoPinyinSlot;

const CoPinyinTables *_co_pinyin_get_tables (void);

guint16               _co_pinyin_char_class (gunichar        ch);

CoPinyinKind          _co_pinyin_classify   (gunichar        ch,
                                             guint16        *cls);

guint                 _co_pinyin_name_slots (const char     *name,
                                             CoPinyinSlot   *slots,
                                             guint           max_slots);

G_END_DECLS
