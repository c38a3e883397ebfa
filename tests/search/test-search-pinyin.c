/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The pinyin table generated from Unihan, the surname readings, and the
 * pinyin sort key.
 */
#define G_LOG_DOMAIN "co-test"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "co-search-pinyin.h"
#include "co-search-pinyin-private.h"

/* The readings of one slot as "a b c", first the sorting one. */
static char *
slot_readings (const CoPinyinSlot *slot)
{
  const CoPinyinTables *t = _co_pinyin_get_tables ();
  GString *out = g_string_new (NULL);

  for (guint k = 0; k < t->class_count[slot->cls]; k++)
    g_string_append_printf (out, "%s%s", k ? " " : "",
                            t->syllables[t->class_syllables[t->class_first[slot->cls] + k]]);

  return g_string_free (out, FALSE);
}

static gboolean
has_reading (const char *readings,
             const char *syllable)
{
  g_auto(GStrv) list = g_strsplit (readings, " ", -1);

  return g_strv_contains ((const char * const *) list, syllable);
}

typedef struct
{
  const char *name;
  const char *readings[5];   /* per character: "first other ..." sets, sorted after the first */
} SlotCase;

static const SlotCase slot_cases[] = {
  /* Given-name characters: every reading in common use. */
  { "王乐", { "wang", "le yue" } },
  { "王行", { "wang", "xing hang heng" } },
  { "王长", { "wang", "zhang chang" } },
  { "王重", { "wang", "zhong chong" } },
  { "王朝", { "wang", "chao zhao" } },
  { "王女", { "wang", "nv" } },
  { "王曾", { "wang", "ceng zeng" } },
  /* Surnames: the surname reading. */
  { "曾一", { "zeng", "yi" } },
  { "单一", { "shan", "yi" } },
  { "解一", { "xie", "yi" } },
  { "仇一", { "qiu", "yi" } },
  { "区一", { "ou", "yi" } },
  { "朴一", { "piao", "yi" } },
  { "查一", { "zha", "yi" } },
  { "盖一", { "ge gai", "yi" } },
  { "覃一", { "qin", "yi" } },
  { "缪一", { "miao", "yi" } },
  { "乐一", { "yue le", "yi" } },
  { "翟一", { "zhai", "yi" } },
  { "吕一", { "lv", "yi" } },
  { "尉迟恭", { "yu", "chi", "gong" } },
  { "万俟卨", { "mo", "qi", "xie" } },
  { "长孙无忌", { "zhang", "sun", "wu mo", "ji" } },
  { "单于宁", { "chan", "yu", "ning" } },
  { "尉迟", { "wei", "chi" } },
  { "欧阳修", { "ou", "yang", "xiu" } },
};

static void
test_slots (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (slot_cases); i++)
    {
      const SlotCase *c = &slot_cases[i];
      CoPinyinSlot slots[CO_PINYIN_MAX_SLOTS];
      guint n = _co_pinyin_name_slots (c->name, slots, G_N_ELEMENTS (slots));

      g_assert_cmpuint (n, ==, g_strv_length ((char **) c->readings));
      for (guint s = 0; s < n; s++)
        {
          g_autofree char *got = slot_readings (&slots[s]);
          g_auto(GStrv) want = g_strsplit (c->readings[s], " ", -1);
          g_auto(GStrv) have = g_strsplit (got, " ", -1);

          /* The first (sorting) reading matches exactly, the rest as a set. */
          if (g_strv_length (want) != g_strv_length (have) || !g_str_equal (want[0], have[0]))
            g_test_fail_printf ("%s, character %u: readings “%s”, expected “%s”", c->name, s,
                                got, c->readings[s]);
          for (guint k = 1; want[k]; k++)
            if (!has_reading (got, want[k]))
              g_test_fail_printf ("%s, character %u: no reading %s in “%s”", c->name, s,
                                  want[k], got);
        }
    }
}

static void
test_table (void)
{
  const CoPinyinTables *t = _co_pinyin_get_tables ();
  guint16 cls;

  g_assert_cmpuint (t->n_syllables, >, 400);
  g_assert_cmpuint (t->n_classes, >, 1000);
  for (guint s = 1; s < t->n_syllables; s++)
    g_assert_cmpstr (t->syllables[s - 1], <, t->syllables[s]);   /* sorted, distinct */

  g_assert_cmpuint (_co_pinyin_char_class (0x5159), ==, 0);     /* 兙: no reading */
  g_assert_cmpuint (_co_pinyin_char_class ('a'), ==, 0);
  g_assert_cmpuint (_co_pinyin_char_class (0x20000), !=, 0);    /* 𠀀, extension B */
  g_assert_cmpuint (_co_pinyin_char_class (0x3400), !=, 0);     /* 㐀, extension A */
  g_assert_cmpuint (_co_pinyin_char_class (0x10FFFF), ==, 0);

  g_assert_cmpint (_co_pinyin_classify ('A', &cls), ==, CO_PINYIN_OPAQUE);
  g_assert_cmpint (_co_pinyin_classify ('7', &cls), ==, CO_PINYIN_OPAQUE);
  g_assert_cmpint (_co_pinyin_classify (' ', &cls), ==, CO_PINYIN_SKIP);
  g_assert_cmpint (_co_pinyin_classify (0x00B7, &cls), ==, CO_PINYIN_SKIP);     /* · */
  g_assert_cmpint (_co_pinyin_classify (0x5159, &cls), ==, CO_PINYIN_OPAQUE);
  g_assert_cmpint (_co_pinyin_classify (0x5F20, &cls), ==, CO_PINYIN_READING);  /* 张 */
  g_assert_cmpuint (cls, !=, 0);
}

/* Sort key */

/* In pinyin order: each name sorts strictly before the next. */
static const char *sorted_names[] = {
  "阿",        /* ā */
  "阿伟",
  "啊",        /* a, neutral tone after ā */
  "安",        /* ān */
  "安娜",
  "Anna",
  "白",        /* bái */
  "陈",
  "丹",        /* dān */
  "卢",        /* lú */
  "吕",        /* lǚ: ü sorts as u, after it */
  "卵",        /* luǎn */
  "略",        /* lüè */
  "罗",        /* luó */
  "努",
  "女",
  "暖",
  "欧阳修",    /* ōu yáng */
  "沙",
  "山",        /* shān */
  "单",        /* shàn: a surname, even alone */
  "单雄信",    /* under s */
  "孙",
  "尉迟恭",    /* yù chí */
  "曾国藩",    /* zēng, not céng */
  "张三",
  "张三丰",
  "张四",
  "章三",      /* zhāng too, another character: after every 张 */
  "长孙无忌",  /* zhǎng */
  "兙",        /* no reading: last */
};

static int
compare_keys (const void *a,
              const void *b)
{
  const char * const *x = a;
  const char * const *y = b;
  g_autofree char *kx = co_search_pinyin_sort_key (*x);
  g_autofree char *ky = co_search_pinyin_sort_key (*y);

  return strcmp (kx, ky);
}

static int
compare_names (const void *a,
               const void *b)
{
  return co_search_pinyin_compare (*(const char * const *) a, *(const char * const *) b);
}

static void
check_sorted (const char **names,
              guint        n)
{
  for (guint i = 0; i < n; i++)
    if (!g_str_equal (names[i], sorted_names[i]))
      {
        g_test_fail_printf ("position %u: %s, expected %s", i, names[i], sorted_names[i]);
        return;
      }
}

static void
test_sort_order (void)
{
  const guint n = G_N_ELEMENTS (sorted_names);
  g_autofree const char **names = g_new (const char *, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint round = 0; round < 20; round++)
    {
      memcpy (names, sorted_names, n * sizeof *names);
      for (guint i = n - 1; i > 0; i--)
        {
          guint j = g_rand_int_range (rand, 0, i + 1);
          const char *tmp = names[i];

          names[i] = names[j];
          names[j] = tmp;
        }
      qsort (names, n, sizeof *names, round % 2 ? compare_keys : compare_names);
      check_sorted (names, n);
    }
}

static void
test_compare (void)
{
  g_autoptr(GString) long_a = g_string_new (NULL);
  g_autoptr(GString) long_b = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sorted_names); i++)
    for (guint j = 0; j < G_N_ELEMENTS (sorted_names); j++)
      {
        int cmp = co_search_pinyin_compare (sorted_names[i], sorted_names[j]);

        g_assert_cmpint ((cmp > 0) - (cmp < 0), ==, (i > j) - (i < j));
      }

  /* Equal readings and characters: case decides, then the bytes. */
  g_assert_cmpint (co_search_pinyin_compare ("张三", "张三"), ==, 0);
  g_assert_cmpint (co_search_pinyin_compare ("ANNA", "anna"), <, 0);
  g_assert_cmpint (co_search_pinyin_compare ("张·三", "张三"), !=, 0);
  g_assert_cmpint (co_search_pinyin_compare ("张·三", "张三"), ==,
                   -co_search_pinyin_compare ("张三", "张·三"));
  g_assert_cmpint (co_search_pinyin_compare ("张·三", "张四"), <, 0);
  g_assert_cmpint (co_search_pinyin_compare ("", "阿"), <, 0);
  g_assert_cmpint (co_search_pinyin_compare ("", ""), ==, 0);

  /* Keys longer than the stack buffer. */
  for (guint i = 0; i < 40; i++)
    {
      g_string_append (long_a, "张");
      g_string_append (long_b, "张");
    }
  g_string_append (long_a, "三");
  g_string_append (long_b, "四");
  g_assert_cmpint (co_search_pinyin_compare (long_a->str, long_b->str), <, 0);
  g_assert_cmpint (co_search_pinyin_compare (long_b->str, long_a->str), >, 0);
  g_assert_cmpint (co_search_pinyin_compare (long_a->str, long_a->str), ==, 0);
  g_assert_cmpint (co_search_pinyin_compare (long_a->str, "张三"), >, 0);
}

static void
test_sort_key_invalid (void)
{
  g_autofree char *key = co_search_pinyin_sort_key ("张\xff三");
  g_autofree char *prefix = co_search_pinyin_sort_key ("张");

  /* Pinyin stops at the bad byte; the key still orders the raw name. */
  g_assert_nonnull (key);
  g_assert_cmpint (strcmp (prefix, key), <, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/pinyin/slots", test_slots);
  g_test_add_func ("/search/pinyin/table", test_table);
  g_test_add_func ("/search/pinyin/sort-order", test_sort_order);
  g_test_add_func ("/search/pinyin/compare", test_compare);
  g_test_add_func ("/search/pinyin/sort-key-invalid", test_sort_key_invalid);

  return g_test_run ();
}
