/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoSearchIndex: the roster search index. Built once from the roster (an
 * array of entries), it answers search-as-you-type queries in a few
 * milliseconds for 100,000 students. A query matches, in this rank order:
 *
 *   1. an education ID, 一卡通号 or 北京通号 equal to the query, then one
 *      starting with it (ASCII, case-insensitive);
 *   2. the name equal to the query, then starting with it, then containing it;
 *   3. the pinyin of the name from its first character, typed in full with
 *      the last syllable possibly unfinished: "zhangsan", "zhangs", "zhang";
 *      then the same from a later character (the given name: "san");
 *   4. the same with initials for some syllables: "zs", "zsan", "zhs",
 *      from the first character, then from a later one.
 *
 * Within a rank, matches keep the order of the entries given to
 * co_search_index_new(): give them in display (pinyin) order.
 *
 * Pinyin rules: every reading of a given-name character matches (张乐: "le"
 * and "yue"); the surname position only takes the surname reading
 * (曾 zeng, 单 shan: "dan" does not find 单雄信), see co-surnames.txt. An
 * initial is the first letter of a syllable, or zh/ch/sh. Queries ignore
 * case, spaces and apostrophes ("Zhang San", "xi'an"); ü is typed v, u: or
 * ü ("lv", "nu:", "lü"); full-width letters and digits count as ASCII. A
 * query with other characters (汉字) matches names only, as a substring.
 * An empty query matches every entry, in order.
 *
 * An index is immutable once built, so it can be built in a worker thread;
 * queries reuse scratch memory inside it, so query one index from one
 * thread at a time.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  guint       id;           /* what queries return, e.g. the row's position */
  const char *name;         /* 姓名, UTF-8 */
  const char *edu_id;       /* 教育ID, or NULL */
  const char *card_no;      /* 一卡通号, or NULL */
  const char *bjt_no;       /* 北京通号, or NULL */
  const char *class_name;   /* 班级, or NULL */
} CoSearchEntry;

typedef struct _CoSearchIndex CoSearchIndex;

#define CO_TYPE_SEARCH_INDEX (co_search_index_get_type ())
GType          co_search_index_get_type      (void) G_GNUC_CONST;

CoSearchIndex *co_search_index_new           (const CoSearchEntry *entries,
                                              guint                n_entries);
CoSearchIndex *co_search_index_ref           (CoSearchIndex       *self);
void           co_search_index_unref         (CoSearchIndex       *self);

guint          co_search_index_get_n_entries (CoSearchIndex       *self);

guint          co_search_index_query         (CoSearchIndex       *self,
                                              const char          *text,
                                              const char          *class_name,
                                              GArray              *matches);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoSearchIndex, co_search_index_unref)

G_END_DECLS
