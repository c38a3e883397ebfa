/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Pinyin order of names (GtkStringSorter has no collation in GTK 4.8):
 * character by character, by the reading (the surname reading in the
 * surname position, else the character's most common reading), then ü after
 * u, then tone, then code point, so 阿 < 安 < 白 < 曾 (zēng) < 张, 单 (shàn)
 * sorts under s and all 张 stay together. Latin letters and digits sort as
 * written, among the readings.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *co_search_pinyin_sort_key (const char *name);

int   co_search_pinyin_compare  (const char *a,
                                 const char *b);

G_END_DECLS
