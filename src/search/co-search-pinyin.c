/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Where the readings come from. Two maintained sources were measured
 * (100,000 generated names, release build, this machine):
 *
 *   Unihan (Debian unicode-data 15.0) turned into a table at build time:
 *     0.85 s of python when the inputs change, a 162 KB object for 41,421
 *     characters; the readings of the 100k names in 5.5 ms, the whole
 *     index in ~60 ms. Every reading in common use (乐 lè/yuè, 行 xíng/háng,
 *     长 cháng/zhǎng, 重 zhòng/chóng, 朝 cháo/zhāo).
 *   ICU "Han-Latin/Names" (libicu 72, utrans_transUChars) at runtime:
 *     120 ms to open the transliterator, then 3.4 s for the 100k names, 20x
 *     the whole budget; one reading per character (张乐 only "zhāng lè", 王长
 *     only "wáng cháng"), and surnames wrong for this use (朴 pǔ, 覃 tán,
 *     缪 móu, 单于 shàn yú).
 *
 * So the table is Unihan's, with the surname readings of co-surnames.txt on
 * top, and the core needs no ICU.
 */
#define G_LOG_DOMAIN "co-search"

#include "config.h"

#include <string.h>

#include "co-search-pinyin.h"
#include "co-search-pinyin-private.h"

typedef struct
{
  guint32 first;      /* first character of the surname */
  guint32 second;     /* second character of a compound surname, else 0 */
  guint16 cls[2];     /* reading class of each character */
} PinyinSurname;

#include "co-pinyin-table.h"

G_STATIC_ASSERT (PINYIN_MAX_SYLLABLE == CO_PINYIN_MAX_SYLLABLE);

/* A sort key unit is the letters, then this, then the ü mark, tone and code
 * point: it must sort below every letter and digit. */
#define KEY_END_LETTERS '\x01'

static const CoPinyinTables tables = {
  pinyin_class_first,
  pinyin_class_count,
  pinyin_class_tone,
  pinyin_class_syllables,
  pinyin_syllables,
  PINYIN_N_SYLLABLES,
  PINYIN_N_CLASSES,
};

const CoPinyinTables *
_co_pinyin_get_tables (void)
{
  return &tables;
}

guint16
_co_pinyin_char_class (gunichar ch)
{
  guint lo = 0, hi = PINYIN_N_EXTRA;

  if (ch >= PINYIN_BMP_FIRST && ch <= PINYIN_BMP_LAST)
    return pinyin_bmp_class[ch - PINYIN_BMP_FIRST];

  if (ch < 0x3000)
    return 0;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (pinyin_extra_cp[mid] < ch)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo < PINYIN_N_EXTRA && pinyin_extra_cp[lo] == ch ? pinyin_extra_class[lo] : 0;
}

CoPinyinKind
_co_pinyin_classify (gunichar  ch,
                     guint16  *cls)
{
  if (ch < 0x80)
    {
      *cls = 0;
      return g_ascii_isalnum (ch) ? CO_PINYIN_OPAQUE : CO_PINYIN_SKIP;
    }

  if ((*cls = _co_pinyin_char_class (ch)) != 0)
    return CO_PINYIN_READING;

  return g_unichar_isalnum (ch) ? CO_PINYIN_OPAQUE : CO_PINYIN_SKIP;
}

/* The surname entries for @first, as a range of pinyin_surnames. */
static const PinyinSurname *
find_surnames (gunichar  first,
               guint    *n_found)
{
  guint lo = 0, hi = PINYIN_N_SURNAMES, end;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (pinyin_surnames[mid].first < first)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (end = lo; end < PINYIN_N_SURNAMES && pinyin_surnames[end].first == first; end++)
    ;

  *n_found = end - lo;
  return &pinyin_surnames[lo];
}

/* Gives the surname position its surname reading: a compound surname when
 * the name has a given name after it, else a single one. */
static void
apply_surname (CoPinyinSlot *slots,
               guint         n_slots)
{
  const PinyinSurname *found;
  guint n_found;

  if (n_slots == 0 || slots[0].cls == 0)
    return;

  found = find_surnames (slots[0].ch, &n_found);
  for (guint i = 0; i < n_found; i++)
    {
      if (found[i].second == 0)
        slots[0].cls = found[i].cls[0];
      else if (n_slots >= 3 && found[i].second == slots[1].ch && slots[1].cls != 0)
        {
          slots[0].cls = found[i].cls[0];
          slots[1].cls = found[i].cls[1];
          return;
        }
    }
}

guint
_co_pinyin_name_slots (const char   *name,
                       CoPinyinSlot *slots,
                       guint         max_slots)
{
  guint n = 0;

  for (const char *p = name; *p != '\0' && n < max_slots; )
    {
      gunichar ch;
      guint16 cls;

      if ((guchar) *p < 0x80)
        ch = (guchar) *p++;
      else
        {
          ch = g_utf8_get_char_validated (p, -1);
          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            break;
          p = g_utf8_next_char (p);
        }

      switch (_co_pinyin_classify (ch, &cls))
        {
        case CO_PINYIN_SKIP:
          break;

        case CO_PINYIN_READING:
        case CO_PINYIN_OPAQUE:
          slots[n].ch = ch;
          slots[n].cls = cls;
          n++;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  apply_surname (slots, n);

  return n;
}

/* Sort key */

typedef struct
{
  char  *buf;
  gsize  size;
  gsize  len;
} KeyWriter;

static void
key_put (KeyWriter *w,
         char       c)
{
  if (w->len < w->size)
    w->buf[w->len] = c;
  w->len++;
}

static void
key_put_unit_tail (KeyWriter *w,
                   gboolean   umlaut,
                   guint      tone,
                   gunichar   ch)
{
  static const char hex[] = "0123456789ABCDEF";

  key_put (w, KEY_END_LETTERS);
  key_put (w, umlaut ? '1' : '0');
  key_put (w, (char) ('0' + (tone == 0 ? 5 : tone)));   /* the neutral tone last */
  for (int shift = 20; shift >= 0; shift -= 4)
    key_put (w, hex[(ch >> shift) & 0xF]);
}

/* Writes the key of @name into @buf (at most @size bytes, no terminator);
 * returns its full length. */
static gsize
write_sort_key (const char *name,
                char       *buf,
                gsize       size)
{
  CoPinyinSlot slots[CO_PINYIN_MAX_SLOTS];
  KeyWriter w = { buf, size, 0 };
  guint n_slots = _co_pinyin_name_slots (name, slots, G_N_ELEMENTS (slots));

  for (guint i = 0; i < n_slots; i++)
    {
      gunichar ch = slots[i].ch;

      if (slots[i].cls != 0)
        {
          guint16 first = tables.class_syllables[tables.class_first[slots[i].cls]];
          const char *syl = tables.syllables[first];
          gboolean umlaut = FALSE;

          for (const char *s = syl; *s; s++)
            {
              umlaut |= *s == 'v';
              key_put (&w, *s == 'v' ? 'u' : *s);
            }
          key_put_unit_tail (&w, umlaut, tables.class_tone[slots[i].cls], ch);
        }
      else if (ch < 0x80)
        {
          /* A run of Latin letters and digits is one word. */
          for (; i < n_slots && slots[i].ch < 0x80; i++)
            key_put (&w, g_ascii_tolower ((char) slots[i].ch));
          i--;
          key_put_unit_tail (&w, FALSE, 0, 0);
        }
      else
        {
          /* No reading known: after every reading, in code point order. */
          char utf8[6];
          int len = g_unichar_to_utf8 (ch, utf8);

          for (int k = 0; k < len; k++)
            key_put (&w, utf8[k]);
          key_put_unit_tail (&w, FALSE, 0, ch);
        }
    }

  /* Names equal so far (case, punctuation) still get a total order. */
  key_put (&w, KEY_END_LETTERS);
  key_put (&w, KEY_END_LETTERS);
  for (const char *p = name; *p; p++)
    key_put (&w, *p);

  return w.len;
}

/**
 * co_search_pinyin_sort_key:
 * @name: a name, UTF-8
 *
 * Returns a key for sorting names in pinyin order: compare two keys with
 * strcmp(), not with a collation function.
 *
 * Returns: (transfer full): the key
 */
char *
co_search_pinyin_sort_key (const char *name)
{
  gsize len;
  char *key;

  g_return_val_if_fail (name != NULL, NULL);

  len = write_sort_key (name, NULL, 0);
  key = g_malloc (len + 1);
  write_sort_key (name, key, len);
  key[len] = '\0';

  return key;
}

/**
 * co_search_pinyin_compare:
 * @a: a name, UTF-8
 * @b: another name
 *
 * Compares two names in pinyin order, the order of their sort keys. Sorting
 * many names is faster with keys computed once.
 *
 * Returns: negative, zero or positive, as strcmp()
 */
int
co_search_pinyin_compare (const char *a,
                          const char *b)
{
  char stack_a[256], stack_b[256];
  g_autofree char *heap_a = NULL;
  g_autofree char *heap_b = NULL;
  const char *key_a = stack_a, *key_b = stack_b;
  gsize len_a, len_b;
  int cmp;

  g_return_val_if_fail (a != NULL, 0);
  g_return_val_if_fail (b != NULL, 0);

  len_a = write_sort_key (a, stack_a, sizeof stack_a);
  if (len_a > sizeof stack_a)
    key_a = heap_a = co_search_pinyin_sort_key (a);

  len_b = write_sort_key (b, stack_b, sizeof stack_b);
  if (len_b > sizeof stack_b)
    key_b = heap_b = co_search_pinyin_sort_key (b);

  cmp = memcmp (key_a, key_b, MIN (len_a, len_b));
  if (cmp != 0)
    return cmp;

  return (len_a > len_b) - (len_a < len_b);
}
