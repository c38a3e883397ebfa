/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoStoreRoster: the whole roster of a store file as plain rows (no
 * GObject per student), read in one pass through a read-only SQLite
 * connection of its own. Any thread: made for a worker thread that builds
 * a search index or sort keys while the main thread stays free (WAL lets
 * it read while the store's own connections work). A consistent snapshot:
 * the rows are read in one transaction.
 */
#pragma once

#include <gio/gio.h>

#include "co-model.h"

G_BEGIN_DECLS

typedef struct
{
  char        edu_id[9];   /* 教育ID: 8 digits */
  guint8      gender;      /* CoGender */
  guint8      grade;       /* 1..12 */
  guint8      card_status; /* CoCardStatus of the current card */
  const char *name;        /* never NULL */
  const char *class_name;  /* never NULL */
  const char *card_no;     /* 一卡通号, NULL: no card */
  const char *bjt_no;      /* 北京通号, NULL: no card */
} CoStoreRosterRow;

typedef struct
{
  CoStoreRosterRow *rows;   /* in education ID order */
  guint             n_rows;

  /*< private >*/
  GStringChunk     *strings;
} CoStoreRoster;

/* Reads the roster of the store file at @path (see co_store_get_path ()).
 * Errors are CO_STORE_ERROR or G_IO_ERROR_CANCELLED. */
CoStoreRoster *co_store_roster_read (const char    *path,
                                     GCancellable  *cancellable,
                                     GError       **error);
void           co_store_roster_free (CoStoreRoster *roster);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoStoreRoster, co_store_roster_free)

G_END_DECLS
