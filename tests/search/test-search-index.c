/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoSearchIndex: table-driven tests of every kind of key (Chinese name,
 * full pinyin, initials, mixed, IDs), the surname rules, ranking, and a
 * randomised comparison of the index with a brute-force reference matcher.
 */
#define G_LOG_DOMAIN "co-test"

#include "config.h"

#include <string.h>

#include "co-search-index.h"
#include "co-search-pinyin-private.h"

/* Helpers */

typedef struct
{
  const char *name;
  const char *query;
  gboolean    match;
} MatchCase;

static CoSearchIndex *
index_of_names (const char * const *names,
                guint               n)
{
  g_autofree CoSearchEntry *entries = g_new0 (CoSearchEntry, n);

  for (guint i = 0; i < n; i++)
    {
      entries[i].id = i;
      entries[i].name = names[i];
    }

  return co_search_index_new (entries, n);
}

static void
run_match_cases (const MatchCase *cases,
                 guint            n_cases)
{
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n_cases; i++)
    {
      const char *names[] = { cases[i].name };
      g_autoptr(CoSearchIndex) index = index_of_names (names, 1);
      guint n = co_search_index_query (index, cases[i].query, NULL, matches);

      g_assert_cmpuint (n, ==, matches->len);
      if ((n == 1) != cases[i].match)
        g_test_fail_printf ("“%s” %s match %s", cases[i].query,
                            cases[i].match ? "should" : "should not", cases[i].name);
    }
}

/* The ids the query returns, as "2 0 1". */
static char *
query_ids (CoSearchIndex *index,
           const char    *query,
           const char    *class_name)
{
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (guint));
  GString *out = g_string_new (NULL);

  co_search_index_query (index, query, class_name, matches);
  for (guint i = 0; i < matches->len; i++)
    g_string_append_printf (out, "%s%u", i ? " " : "", g_array_index (matches, guint, i));

  return g_string_free (out, FALSE);
}

#define assert_query(index, query, class_name, expected) \
  G_STMT_START { \
    g_autofree char *got__ = query_ids ((index), (query), (class_name)); \
    if (g_strcmp0 (got__, (expected)) != 0) \
      g_test_fail_printf ("“%s”: got [%s], expected [%s]", (query), got__, (expected)); \
  } G_STMT_END

/* Tests */

static const MatchCase surname_cases[] = {
  /* The surname position takes the surname reading only. */
  { "曾国藩", "zeng", TRUE },
  { "曾国藩", "zengguofan", TRUE },
  { "曾国藩", "zgf", TRUE },
  { "曾国藩", "ceng", FALSE },
  { "曾国藩", "cengguofan", FALSE },
  { "单雄信", "shan", TRUE },
  { "单雄信", "shanxiongxin", TRUE },
  { "单雄信", "sxx", TRUE },
  { "单雄信", "dan", FALSE },
  { "单雄信", "danxiongxin", FALSE },
  { "单雄信", "chan", FALSE },
  { "单雄信", "dxx", FALSE },
  { "解缙", "xie", TRUE },
  { "解缙", "xiejin", TRUE },
  { "解缙", "jie", FALSE },
  { "解缙", "jiejin", FALSE },
  { "仇英", "qiu", TRUE },
  { "仇英", "qiuying", TRUE },
  { "仇英", "chou", FALSE },
  { "区志", "ou", TRUE },
  { "区志", "ouzhi", TRUE },
  { "区志", "qu", FALSE },
  { "区志", "qz", FALSE },
  { "朴槿惠", "piao", TRUE },
  { "朴槿惠", "piaojinhui", TRUE },
  { "朴槿惠", "pu", FALSE },
  { "查良镛", "zha", TRUE },
  { "查良镛", "zhaliangyong", TRUE },
  { "查良镛", "zly", TRUE },
  { "查良镛", "cha", FALSE },
  { "查良镛", "cly", FALSE },
  { "盖聂", "ge", TRUE },
  { "盖聂", "genie", TRUE },
  { "盖聂", "gai", TRUE },        /* 盖 Gài is also a surname reading */
  { "覃斌", "qin", TRUE },
  { "覃斌", "qinbin", TRUE },
  { "覃斌", "tan", FALSE },
  { "缪斯", "miao", TRUE },
  { "缪斯", "miaosi", TRUE },
  { "缪斯", "mou", FALSE },
  { "缪斯", "miu", FALSE },
  { "乐嘉", "yue", TRUE },
  { "乐嘉", "yuejia", TRUE },
  { "乐嘉", "lejia", TRUE },       /* 乐 Lè is also a surname reading */
  { "翟欣", "zhai", TRUE },
  { "翟欣", "zhaixin", TRUE },
  { "翟欣", "di", FALSE },
  { "尉缭", "wei", TRUE },
  { "尉缭", "yu", FALSE },
  { "曾", "zeng", TRUE },          /* a name that is only a surname */
  { "曾", "ceng", FALSE },
};

static void
test_surname (void)
{
  run_match_cases (surname_cases, G_N_ELEMENTS (surname_cases));
}

static const MatchCase compound_cases[] = {
  { "欧阳修", "ouyang", TRUE },
  { "欧阳修", "ouyangxiu", TRUE },
  { "欧阳修", "oyx", TRUE },
  { "尉迟恭", "yuchi", TRUE },
  { "尉迟恭", "yuchigong", TRUE },
  { "尉迟恭", "ycg", TRUE },
  { "尉迟恭", "weichi", FALSE },
  { "尉迟恭", "wcg", FALSE },
  { "万俟卨", "moqi", TRUE },
  { "万俟卨", "moqixie", TRUE },
  { "万俟卨", "mqx", TRUE },
  { "万俟卨", "wan", FALSE },
  { "万俟卨", "wanqi", FALSE },
  { "万俟卨", "wansi", FALSE },
  { "长孙无忌", "zhangsun", TRUE },
  { "长孙无忌", "zhangsunwuji", TRUE },
  { "长孙无忌", "zswj", TRUE },
  { "长孙无忌", "changsun", FALSE },
  { "单于宁", "chanyu", TRUE },
  { "单于宁", "shanyu", FALSE },
  { "司马光", "sima", TRUE },
  { "司马光", "smg", TRUE },
  { "诸葛亮", "zhuge", TRUE },
  { "诸葛亮", "zhugeliang", TRUE },
  { "诸葛亮", "zgl", TRUE },
  { "上官婉儿", "shangguan", TRUE },
  { "上官婉儿", "sgwe", TRUE },
  { "令狐冲", "linghuchong", TRUE },
  { "皇甫嵩", "huangfusong", TRUE },
  { "慕容复", "murongfu", TRUE },
  { "东方朔", "dongfangshuo", TRUE },
  { "夏侯惇", "xiahoudun", TRUE },
  /* Two characters only: surname 尉 (wei) and given name 迟. */
  { "尉迟", "weichi", TRUE },
  { "尉迟", "yuchi", FALSE },
};

static void
test_compound_surname (void)
{
  run_match_cases (compound_cases, G_N_ELEMENTS (compound_cases));
}

static const MatchCase given_name_cases[] = {
  /* Every reading of a given-name character matches. */
  { "张乐", "zhangle", TRUE },
  { "张乐", "zhangyue", TRUE },
  { "张乐", "le", TRUE },
  { "张乐", "yue", TRUE },
  { "张乐", "zl", TRUE },
  { "张乐", "zy", TRUE },
  { "李行", "lixing", TRUE },
  { "李行", "lihang", TRUE },
  { "李行", "hang", TRUE },
  { "王长", "wangchang", TRUE },
  { "王长", "wangzhang", TRUE },
  { "王长", "wangzh", TRUE },
  { "王长", "wangch", TRUE },
  { "王长", "wc", TRUE },
  { "王长", "wz", TRUE },
  { "赵重", "zhaozhong", TRUE },
  { "赵重", "zhaochong", TRUE },
  { "孙朝", "sunchao", TRUE },
  { "孙朝", "sunzhao", TRUE },
  { "李曾", "lizeng", TRUE },     /* 曾 outside the surname position */
  { "李曾", "liceng", TRUE },
  { "张单", "zhangdan", TRUE },
  { "张单", "zhangshan", TRUE },
  { "张乐", "zhangyao", FALSE },  /* 乐 yào is not in common use */
  { "李行", "liheng", TRUE },     /* 道行 dàoheng is */
  { "赵重", "zhaotong", FALSE },  /* 重 tóng is classical only */
  { "孙朝", "sunzhu", FALSE },
};

static void
test_given_name (void)
{
  run_match_cases (given_name_cases, G_N_ELEMENTS (given_name_cases));
}

static const MatchCase full_pinyin_cases[] = {
  { "张三丰", "z", TRUE },
  { "张三丰", "zh", TRUE },
  { "张三丰", "zha", TRUE },
  { "张三丰", "zhan", TRUE },
  { "张三丰", "zhang", TRUE },
  { "张三丰", "zhangs", TRUE },
  { "张三丰", "zhangsa", TRUE },
  { "张三丰", "zhangsan", TRUE },
  { "张三丰", "zhangsanf", TRUE },
  { "张三丰", "zhangsanfeng", TRUE },
  { "张三丰", "san", TRUE },          /* from a later character */
  { "张三丰", "sanfeng", TRUE },
  { "张三丰", "feng", TRUE },
  { "张三丰", "zhangsanfengg", FALSE },
  { "张三丰", "zhangsi", FALSE },
  { "张三丰", "zhangfeng", FALSE },   /* characters in a row only */
  { "张三丰", "ang", FALSE },         /* from a syllable boundary only */
  { "张三丰", "hangsan", FALSE },
  { "西安", "xian", TRUE },           /* xi + an, and xian as a prefix of nothing */
  { "李西安", "lixian", TRUE },
  { "李先", "lixian", TRUE },
  { "李先", "lixia", TRUE },
  { "李西", "lixian", FALSE },
};

static void
test_full_pinyin (void)
{
  run_match_cases (full_pinyin_cases, G_N_ELEMENTS (full_pinyin_cases));
}

static const MatchCase initials_cases[] = {
  { "张三丰", "zs", TRUE },
  { "张三丰", "zsf", TRUE },
  { "张三丰", "sf", TRUE },
  { "张三丰", "zf", FALSE },
  { "张三丰", "zsfx", FALSE },
  { "张三丰", "szf", FALSE },
  { "张三丰", "zhsf", TRUE },         /* zh, ch, sh count as initials */
  { "张三丰", "zhs", TRUE },
  { "钟楚红", "zhch", TRUE },
  { "钟楚红", "zhchh", TRUE },
  { "钟楚红", "zchuh", TRUE },
  { "钟楚红", "zchx", FALSE },
  { "钟楚红", "zcho", TRUE },         /* z + c + ho */
  { "石守诚", "shshch", TRUE },
  { "张三丰", "zhas", FALSE },        /* no other partial syllables */
  { "王小明", "wxm", TRUE },
  { "王小明", "xm", TRUE },
};

static void
test_initials (void)
{
  run_match_cases (initials_cases, G_N_ELEMENTS (initials_cases));
}

static const MatchCase mixed_cases[] = {
  { "张三丰", "zsan", TRUE },
  { "张三丰", "zsanf", TRUE },
  { "张三丰", "zhangsf", TRUE },
  { "张三丰", "zsfeng", TRUE },
  { "张三丰", "zhangsfeng", TRUE },
  { "张三丰", "zsanfeng", TRUE },
  { "张三丰", "zsanfen", TRUE },
  { "张三丰", "zsanfx", FALSE },
  { "王小明", "wangxm", TRUE },
  { "王小明", "wxiaom", TRUE },
  { "王小明", "wxiaoming", TRUE },
  { "王小明", "xiaom", TRUE },
};

static void
test_mixed (void)
{
  run_match_cases (mixed_cases, G_N_ELEMENTS (mixed_cases));
}

static const MatchCase umlaut_cases[] = {
  { "吕布", "lv", TRUE },
  { "吕布", "lvbu", TRUE },
  { "吕布", "lü", TRUE },
  { "吕布", "lübu", TRUE },
  { "吕布", "LÜBU", TRUE },
  { "吕布", "lu:", TRUE },
  { "吕布", "lu:bu", TRUE },
  { "吕布", "lb", TRUE },
  { "吕布", "lu", FALSE },
  { "吕布", "lubu", FALSE },
  { "王女", "wangnv", TRUE },
  { "王女", "wangnü", TRUE },
  { "王女", "nv", TRUE },
  { "王女", "wangnu", FALSE },
  { "李略", "lilve", TRUE },
  { "李略", "lilüe", TRUE },
  { "徐菊", "xuju", TRUE },        /* ju, qu, xu, yu are written with u */
  { "徐菊", "xvjv", FALSE },
};

static void
test_umlaut (void)
{
  run_match_cases (umlaut_cases, G_N_ELEMENTS (umlaut_cases));
}

static const MatchCase normalize_cases[] = {
  { "张三丰", "Zhang San", TRUE },
  { "张三丰", "ZHANGSANFENG", TRUE },
  { "张三丰", "ZS", TRUE },
  { "张三丰", " z s f ", TRUE },
  { "张三丰", "zhang'san", TRUE },
  { "张三丰", "zhang’san", TRUE },
  { "张三丰", "ｚｈａｎｇ", TRUE },     /* full-width letters from an IME */
  { "张三丰", "张 三", TRUE },
  { "张三丰", "张　三", TRUE },      /* ideographic space */
  { "西安", "xi'an", TRUE },
  { "张三丰", "zhang-san", FALSE },
  { "张三丰", "zhang.san", FALSE },
};

static void
test_normalize (void)
{
  run_match_cases (normalize_cases, G_N_ELEMENTS (normalize_cases));
}

static const MatchCase name_cases[] = {
  { "张三丰", "张", TRUE },
  { "张三丰", "张三", TRUE },
  { "张三丰", "张三丰", TRUE },
  { "张三丰", "三丰", TRUE },
  { "张三丰", "丰", TRUE },
  { "张三丰", "张丰", FALSE },
  { "张三丰", "张三丰丰", FALSE },
  { "张三丰", "张s", FALSE },        /* 汉字 queries match names only */
  { "张三丰", "章", FALSE },
  { "买买提·艾力", "买买提·艾力", TRUE },
  { "买买提·艾力", "艾力", TRUE },
  { "Anna Li", "anna", TRUE },      /* Latin names: case-insensitive substring */
  { "Anna Li", "ANNALI", FALSE },
  { "Anna Li", "li", TRUE },
  { "李Anna", "anna", TRUE },
  { "李Anna", "李anna", TRUE },
};

static void
test_name (void)
{
  run_match_cases (name_cases, G_N_ELEMENTS (name_cases));
}

static const MatchCase opaque_cases[] = {
  /* 兙 has no reading: it breaks a pinyin match, a substring still works. */
  { "王兙明", "wang", TRUE },
  { "王兙明", "ming", TRUE },
  { "王兙明", "wangming", FALSE },
  { "王兙明", "wm", FALSE },
  { "王兙明", "兙", TRUE },
  /* The 间隔号 of minority names is skipped. */
  { "买买提·艾力", "maimaitiaili", TRUE },
  { "买买提·艾力", "mmtal", TRUE },
  { "买买提·艾力", "aili", TRUE },
  { "阿依古丽•买买提", "ayiguli", TRUE },
  /* A name character outside the BMP (CJK extension B). */
  { "王𠀀", "wanghe", TRUE },
  { "王𠀀", "wh", TRUE },
  { "王𠀀", "𠀀", TRUE },
};

static void
test_opaque (void)
{
  run_match_cases (opaque_cases, G_N_ELEMENTS (opaque_cases));
}

static const CoSearchEntry id_entries[] = {
  { 10, "张三", "11010123", "1000123456", "110101234567", "初一(1)班" },
  { 11, "李四", "11020456", "1000654321", NULL, "初一(2)班" },
  { 12, "王五", "2101", NULL, "G1234", "初一(1)班" },
  { 13, "赵六", NULL, "1100000000", "", NULL },
};

static void
test_ids (void)
{
  g_autoptr(CoSearchIndex) index = co_search_index_new (id_entries, G_N_ELEMENTS (id_entries));

  g_assert_cmpuint (co_search_index_get_n_entries (index), ==, 4);

  assert_query (index, "1", NULL, "10 11 13");
  assert_query (index, "11", NULL, "10 11 13");
  assert_query (index, "110", NULL, "10 11 13");
  assert_query (index, "1101", NULL, "10");
  assert_query (index, "11010123", NULL, "10");
  assert_query (index, "110101230", NULL, "");
  assert_query (index, "1102", NULL, "11");
  assert_query (index, "1000", NULL, "10 11");        /* 一卡通号 */
  assert_query (index, "1000654", NULL, "11");
  assert_query (index, "10001234567", NULL, "");
  assert_query (index, "11000", NULL, "13");
  assert_query (index, "110101234567", NULL, "10");   /* 北京通号 */
  assert_query (index, "2", NULL, "12");
  assert_query (index, "g12", NULL, "12");            /* letters: case-insensitive */
  assert_query (index, "G1234", NULL, "12");
  assert_query (index, "１１０", NULL, "10 11 13");     /* full-width digits */
  assert_query (index, "11 01", NULL, "10");
  assert_query (index, "3", NULL, "");
  assert_query (index, "0", NULL, "");
}

static void
test_rank (void)
{
  /* Exact ID before ID prefix, whatever the entry order. */
  static const CoSearchEntry ids[] = {
    { 0, "甲", "123456789", NULL, NULL, NULL },
    { 1, "乙", "12345678", NULL, NULL, NULL },
    { 2, "丙", NULL, "1234567800", NULL, NULL },
  };
  /* The name: equal, then starting with, then containing. */
  static const char *names[] = { "李张三", "张三丰", "张三", "王五" };
  /* Pinyin: from the first character, then from a later one; full, then
   * initials. */
  static const char *pinyin[] = { "李张", "章三", "张伟", "赵四", "周树", "钟", "李志松" };
  g_autoptr(CoSearchIndex) id_index = co_search_index_new (ids, G_N_ELEMENTS (ids));
  g_autoptr(CoSearchIndex) name_index = index_of_names (names, G_N_ELEMENTS (names));
  g_autoptr(CoSearchIndex) pinyin_index = index_of_names (pinyin, G_N_ELEMENTS (pinyin));
  static const CoSearchEntry mixed[] = {
    { 0, "李张", NULL, NULL, "zhang", NULL },
    { 1, "Zhang Wei", NULL, NULL, NULL, NULL },
    { 2, "张伟", NULL, NULL, NULL, NULL },
    { 3, "Lizhang", NULL, NULL, NULL, NULL },
  };
  g_autoptr(CoSearchIndex) mixed_index = co_search_index_new (mixed, G_N_ELEMENTS (mixed));

  assert_query (id_index, "12345678", NULL, "1 0 2");
  assert_query (id_index, "1234567", NULL, "0 1 2");
  assert_query (name_index, "张三", NULL, "2 1 0");
  assert_query (name_index, "三", NULL, "0 1 2");
  assert_query (pinyin_index, "zhang", NULL, "1 2 0");       /* 章三 张伟 | 李张 */
  assert_query (pinyin_index, "zhangs", NULL, "1");
  assert_query (pinyin_index, "zs", NULL, "1 3 4 6");       /* initials: first, later */
  assert_query (pinyin_index, "z", NULL, "1 2 3 4 5 0 6");
  assert_query (pinyin_index, "zh", NULL, "1 2 3 4 5 0 6");
  assert_query (pinyin_index, "zhs", NULL, "1 3 4 6");      /* zh + s; 李志松 later */
  /* ID, then name, then pinyin; an entry comes once, at its best rank. */
  assert_query (mixed_index, "zhang", NULL, "0 1 3 2");
}

static void
test_empty (void)
{
  static const char *names[] = { "张三", "李四", "王五" };
  g_autoptr(CoSearchIndex) index = index_of_names (names, G_N_ELEMENTS (names));
  g_autoptr(CoSearchIndex) empty = co_search_index_new (NULL, 0);
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (guint));

  assert_query (index, "", NULL, "0 1 2");
  assert_query (index, "   ", NULL, "0 1 2");
  assert_query (index, "'", NULL, "0 1 2");
  assert_query (empty, "", NULL, "");
  assert_query (empty, "zhang", NULL, "");
  assert_query (empty, "1", NULL, "");
  assert_query (empty, "张", NULL, "");
  g_assert_cmpuint (co_search_index_get_n_entries (empty), ==, 0);

  /* A query replaces what the array held. */
  g_array_set_size (matches, 5);
  g_assert_cmpuint (co_search_index_query (index, "li", NULL, matches), ==, 1);
  g_assert_cmpuint (matches->len, ==, 1);
  g_assert_cmpuint (g_array_index (matches, guint, 0), ==, 1);
}

static void
test_class_filter (void)
{
  g_autoptr(CoSearchIndex) index = co_search_index_new (id_entries, G_N_ELEMENTS (id_entries));

  assert_query (index, "", "初一(1)班", "10 12");
  assert_query (index, "", "初一(2)班", "11");
  assert_query (index, "1", "初一(1)班", "10");
  assert_query (index, "z", "初一(1)班", "10");
  assert_query (index, "z", NULL, "10 13");
  assert_query (index, "张", "初一(2)班", "");
  assert_query (index, "", "初二(1)班", "");
}

static void
test_limits (void)
{
  static const char *names[] = {
    "张三",
    "\xff\xfe",                   /* not UTF-8 */
    "李\xe4\xb8",                 /* cut in the middle of a character */
    "",
    NULL,
  };
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autoptr(GString) long_query = g_string_new (NULL);
  g_autoptr(CoSearchIndex) index = NULL;
  g_autoptr(CoSearchIndex) long_index = NULL;
  const char *long_names[1];

  index = index_of_names (names, G_N_ELEMENTS (names));
  assert_query (index, "zs", NULL, "0");
  assert_query (index, "li", NULL, "2");
  assert_query (index, "\xff", NULL, "");
  assert_query (index, "张\xe4", NULL, "");

  /* 40 characters: pinyin matching covers the first CO_PINYIN_MAX_SLOTS. */
  for (guint i = 0; i < 40; i++)
    g_string_append (long_name, "张");
  long_names[0] = long_name->str;
  long_index = index_of_names (long_names, 1);
  for (guint i = 0; i < 12; i++)
    g_string_append (long_query, "zhang");
  assert_query (long_index, long_query->str, NULL, "0");    /* 60 letters */
  g_string_append (long_query, "zhang");
  assert_query (long_index, long_query->str, NULL, "");     /* past the limit */
  assert_query (long_index, long_name->str, NULL, "0");
  g_string_truncate (long_query, 0);
  for (guint i = 0; i < 300; i++)
    g_string_append_c (long_query, 'z');
  assert_query (long_index, long_query->str, NULL, "");
}

static void
test_preconditions (void)
{
  g_autoptr(CoSearchIndex) index = co_search_index_new (id_entries, 1);
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) wrong = g_array_new (FALSE, FALSE, sizeof (guint8));

  g_test_expect_message ("co-search", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_cmpuint (co_search_index_query (index, NULL, NULL, matches), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("co-search", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_cmpuint (co_search_index_query (index, "z", NULL, wrong), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("co-search", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_null (co_search_index_new (NULL, 3));
  g_test_assert_expected_messages ();
}

static void
test_boxed (void)
{
  g_autoptr(CoSearchIndex) index = co_search_index_new (id_entries, 2);
  CoSearchIndex *copy;

  g_assert_true (G_TYPE_IS_BOXED (CO_TYPE_SEARCH_INDEX));
  copy = g_boxed_copy (CO_TYPE_SEARCH_INDEX, index);
  g_assert_true (copy == index);
  g_boxed_free (CO_TYPE_SEARCH_INDEX, copy);
  assert_query (index, "lisi", NULL, "11");
}

/* Randomised: the index against a brute-force matcher */

enum
{
  REF_ID_EXACT,
  REF_ID_PREFIX,
  REF_NAME_EXACT,
  REF_NAME_PREFIX,
  REF_NAME_INNER,
  REF_PINYIN_FIRST,
  REF_PINYIN_LATER,
  REF_INITIALS_FIRST,
  REF_INITIALS_LATER,
  REF_NONE,
};

/* Can @q be typed for the slots from @i on? Returns whether; sets
 * *full_found when one way needs no initial. */
static gboolean
ref_match_from (const CoPinyinSlot *slots,
                guint               n_slots,
                guint               i,
                const char         *q,
                gboolean            used_abbr,
                gboolean           *full_found)
{
  const CoPinyinTables *t = _co_pinyin_get_tables ();
  gboolean found = FALSE;
  gsize rest = strlen (q);

  if (i >= n_slots || slots[i].cls == 0)
    return FALSE;

  for (guint k = 0; k < t->class_count[slots[i].cls]; k++)
    {
      const char *syl = t->syllables[t->class_syllables[t->class_first[slots[i].cls] + k]];
      gsize len = strlen (syl);

      if (rest <= len && strncmp (syl, q, rest) == 0)
        {
          found = TRUE;
          if (!used_abbr)
            *full_found = TRUE;
        }
      if (rest > len && strncmp (syl, q, len) == 0)
        found |= ref_match_from (slots, n_slots, i + 1, q + len, used_abbr, full_found);
      if (rest > 1 && q[0] == syl[0])
        found |= ref_match_from (slots, n_slots, i + 1, q + 1, TRUE, full_found);
      if (rest > 2 && len >= 3 && syl[1] == 'h' && strchr ("zcs", syl[0]) && q[0] == syl[0]
          && q[1] == 'h')
        found |= ref_match_from (slots, n_slots, i + 1, q + 2, TRUE, full_found);
    }

  return found;
}

static guint
ref_tier (const CoSearchEntry *entry,
          const char          *q)
{
  const char *ids[] = { entry->edu_id, entry->card_no, entry->bjt_no };
  g_autofree char *name = g_ascii_strdown (entry->name, -1);
  g_autofree char *lower = g_ascii_strdown (q, -1);
  CoPinyinSlot slots[CO_PINYIN_MAX_SLOTS];
  guint n_slots, best = REF_NONE;
  gboolean digits = FALSE, other = FALSE, latin = FALSE;
  gsize len = strlen (q);
  const char *at;

  for (const char *p = q; *p; p++)
    {
      digits |= g_ascii_isdigit (*p);
      other |= (guchar) *p >= 0x80;
    }
  for (const char *p = name; *p; p++)
    latin |= g_ascii_isalpha (*p);

  if (other || latin)
    {
      /* Names: 汉字 queries, and Latin letters in Latin names. */
      if ((other || !digits) && (at = strstr (name, lower)) != NULL)
        {
          if (at != name)
            best = REF_NAME_INNER;
          else
            best = name[len] == '\0' ? REF_NAME_EXACT : REF_NAME_PREFIX;
        }
      if (other)
        return best;
    }

  for (guint f = 0; f < G_N_ELEMENTS (ids); f++)
    if (ids[f] && g_str_has_prefix (ids[f], lower))
      best = MIN (best, ids[f][len] == '\0' ? REF_ID_EXACT : REF_ID_PREFIX);
  if (digits)
    return best;

  n_slots = _co_pinyin_name_slots (entry->name, slots, G_N_ELEMENTS (slots));
  for (guint i = 0; i < n_slots; i++)
    {
      gboolean full = FALSE;

      if (ref_match_from (slots, n_slots, i, lower, FALSE, &full))
        {
          if (i == 0)
            best = MIN (best, full ? REF_PINYIN_FIRST : REF_INITIALS_FIRST);
          else
            best = MIN (best, full ? REF_PINYIN_LATER : REF_INITIALS_LATER);
        }
    }

  return best;
}

static const char *random_chars[] = {
  "张", "王", "李", "曾", "单", "解", "乐", "长", "重", "朝", "行", "区", "朴", "查", "盖",
  "尉", "迟", "万", "俟", "欧", "阳", "孙", "三", "丰", "伟", "芳", "吕", "女", "西", "安",
  "先", "志", "中", "思", "诗", "兙", "·", "A", "嘉", "恩", "儿", "晓", "春", "长", "和",
};

static void
test_random_reference (void)
{
  enum { N_ENTRIES = 400, N_QUERIES = 1500 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autofree CoSearchEntry *entries = g_new0 (CoSearchEntry, N_ENTRIES);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(CoSearchIndex) index = NULL;
  const CoPinyinTables *t = _co_pinyin_get_tables ();
  guint checked = 0;

  for (guint i = 0; i < N_ENTRIES; i++)
    {
      GString *name = g_string_new (NULL);
      guint len = g_rand_int_range (rand, 1, 5);

      for (guint k = 0; k < len; k++)
        {
          guint pick = g_rand_int_range (rand, 0, G_N_ELEMENTS (random_chars));

          g_string_append (name, random_chars[pick]);
        }
      entries[i].id = i;
      entries[i].name = name->str;
      g_ptr_array_add (strings, g_string_free (name, FALSE));
      entries[i].edu_id = NULL;
      if (g_rand_boolean (rand))
        {
          char *id = g_strdup_printf ("%u", g_rand_int_range (rand, 100, 400));
          g_ptr_array_add (strings, id);
          entries[i].edu_id = id;
        }
    }
  index = co_search_index_new (entries, N_ENTRIES);

  for (guint qi = 0; qi < N_QUERIES; qi++)
    {
      const CoSearchEntry *target = &entries[g_rand_int_range (rand, 0, N_ENTRIES)];
      g_autoptr(GString) q = g_string_new (NULL);
      g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (guint));
      guint kind = g_rand_int_range (rand, 0, 10);

      if (kind < 6)
        {
          /* Type the target from a random character, with random readings
           * and random initials, and stop anywhere. */
          CoPinyinSlot slots[CO_PINYIN_MAX_SLOTS];
          guint n_slots = _co_pinyin_name_slots (target->name, slots, G_N_ELEMENTS (slots));
          guint from = n_slots ? g_rand_int_range (rand, 0, n_slots) : 0;

          for (guint i = from; i < n_slots && slots[i].cls != 0; i++)
            {
              guint cls = slots[i].cls;
              guint pick = g_rand_int_range (rand, 0, t->class_count[cls]);
              const char *syl = t->syllables[t->class_syllables[t->class_first[cls] + pick]];

              if (g_rand_int_range (rand, 0, 3) == 0)
                g_string_append_c (q, syl[0]);
              else
                g_string_append (q, syl);
            }
          if (q->len > 1)
            g_string_truncate (q, g_rand_int_range (rand, 1, q->len + 1));
        }
      else if (kind < 8)
        {
          for (guint k = g_rand_int_range (rand, 1, 5); k > 0; k--)
            g_string_append_c (q, "zhangsilvxeoucy"[g_rand_int_range (rand, 0, 15)]);
        }
      else if (kind < 9)
        {
          const char *start = target->name;
          glong n_chars = g_utf8_strlen (start, -1);
          glong from = g_rand_int_range (rand, 0, n_chars);
          glong to = g_rand_int_range (rand, from + 1, n_chars + 1);

          g_string_append_len (q, g_utf8_offset_to_pointer (start, from),
                               g_utf8_offset_to_pointer (start, to)
                               - g_utf8_offset_to_pointer (start, from));
        }
      else
        g_string_printf (q, "%u", g_rand_int_range (rand, 1, 400));

      if (q->len == 0)
        continue;

      for (guint tier = 0; tier < REF_NONE; tier++)
        for (guint i = 0; i < N_ENTRIES; i++)
          if (ref_tier (&entries[i], q->str) == tier)
            g_array_append_val (expected, entries[i].id);

      co_search_index_query (index, q->str, NULL, matches);
      checked++;
      if (matches->len != expected->len
          || (matches->len > 0
              && memcmp (matches->data, expected->data, matches->len * sizeof (guint)) != 0))
        {
          g_test_fail_printf ("“%s”: %u matches, reference %u (or another order)", q->str,
                              matches->len, expected->len);
          return;
        }
    }

  g_test_message ("%u random queries checked", checked);
  g_assert_cmpuint (checked, >, N_QUERIES / 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/index/surname", test_surname);
  g_test_add_func ("/search/index/compound-surname", test_compound_surname);
  g_test_add_func ("/search/index/given-name", test_given_name);
  g_test_add_func ("/search/index/full-pinyin", test_full_pinyin);
  g_test_add_func ("/search/index/initials", test_initials);
  g_test_add_func ("/search/index/mixed", test_mixed);
  g_test_add_func ("/search/index/umlaut", test_umlaut);
  g_test_add_func ("/search/index/normalize", test_normalize);
  g_test_add_func ("/search/index/name", test_name);
  g_test_add_func ("/search/index/opaque", test_opaque);
  g_test_add_func ("/search/index/ids", test_ids);
  g_test_add_func ("/search/index/rank", test_rank);
  g_test_add_func ("/search/index/empty", test_empty);
  g_test_add_func ("/search/index/class-filter", test_class_filter);
  g_test_add_func ("/search/index/limits", test_limits);
  g_test_add_func ("/search/index/preconditions", test_preconditions);
  g_test_add_func ("/search/index/boxed", test_boxed);
  g_test_add_func ("/search/index/random-reference", test_random_reference);

  return g_test_run ();
}
