/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-store"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "co-enum-types.h"
#include "co-store.h"
#include "co-store-roster.h"

#define CANCEL_CHECK_ROWS 4096

static const char roster_sql[] =
  "SELECT s.edu_id, s.name, s.gender, s.grade, s.class_name, s.card_no, c.bjt_no, c.status"
  " FROM students s LEFT JOIN cards c ON c.card_no = s.card_no"
  " ORDER BY s.edu_id";

static gboolean
set_error (GError    **error,
           sqlite3    *db,
           int         rc,
           const char *what)
{
  int code;

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = CO_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      code = CO_STORE_ERROR_OPEN;
      break;
    default:
      code = CO_STORE_ERROR_IO;
      break;
    }

  g_set_error (error, CO_STORE_ERROR, code, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

/* A few wire names, many rows: map each name once. */
static guint8
wire_enum (GHashTable *cache,
           GType       type,
           const char *wire,
           int         fallback)
{
  gpointer value;
  int v;

  if (wire == NULL)
    return fallback;

  if (g_hash_table_lookup_extended (cache, wire, NULL, &value))
    return GPOINTER_TO_UINT (value);

  if (!co_enum_from_wire (type, wire, &v))
    v = fallback;
  g_hash_table_insert (cache, g_strdup (wire), GUINT_TO_POINTER (v));

  return v;
}

static const char *
intern (GStringChunk  *strings,
        sqlite3_stmt  *stmt,
        int            i)
{
  const char *text = (const char *) sqlite3_column_text (stmt, i);

  if (text == NULL)
    return NULL;

  return g_string_chunk_insert_len (strings, text, sqlite3_column_bytes (stmt, i));
}

CoStoreRoster *
co_store_roster_read (const char    *path,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(CoStoreRoster) roster = NULL;
  g_autoptr(GHashTable) genders = NULL;
  g_autoptr(GHashTable) statuses = NULL;
  g_autoptr(GArray) rows = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* Not SQLITE_OPEN_CREATE: a missing file is an error, not a new store. */
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (error, db, rc, "open");
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 10000);

  rc = sqlite3_prepare_v2 (db, roster_sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (error, db, rc, "prepare");
      sqlite3_close (db);
      return NULL;
    }

  genders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  roster = g_new0 (CoStoreRoster, 1);
  roster->strings = g_string_chunk_new (1 << 20);
  rows = g_array_sized_new (FALSE, TRUE, sizeof (CoStoreRosterRow), 1024);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *edu_id = (const char *) sqlite3_column_text (stmt, 0);
      CoStoreRosterRow row = { { 0 }, 0 };

      if (edu_id == NULL || sqlite3_column_bytes (stmt, 0) != 8)
        continue;

      memcpy (row.edu_id, edu_id, 9);
      row.name = intern (roster->strings, stmt, 1);
      row.gender = wire_enum (genders, CO_TYPE_GENDER,
                              (const char *) sqlite3_column_text (stmt, 2), CO_GENDER_MALE);
      row.grade = CLAMP (sqlite3_column_int (stmt, 3), 0, 12);
      row.class_name = intern (roster->strings, stmt, 4);
      row.card_no = intern (roster->strings, stmt, 5);
      if (row.card_no != NULL)
        {
          row.bjt_no = intern (roster->strings, stmt, 6);
          row.card_status = wire_enum (statuses, CO_TYPE_CARD_STATUS,
                                       (const char *) sqlite3_column_text (stmt, 7),
                                       CO_CARD_STATUS_NOT_ISSUED);
        }
      else
        row.card_status = CO_CARD_STATUS_NOT_ISSUED;
      if (row.name == NULL)
        row.name = "";
      if (row.class_name == NULL)
        row.class_name = "";
      g_array_append_val (rows, row);

      if (rows->len % CANCEL_CHECK_ROWS == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
    }

  if (ok && rc != SQLITE_DONE)
    ok = set_error (error, db, rc, "read roster");

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (!ok)
    return NULL;

  roster->n_rows = rows->len;
  roster->rows = (CoStoreRosterRow *) (gpointer) g_array_free (g_steal_pointer (&rows), FALSE);

  return g_steal_pointer (&roster);
}

void
co_store_roster_free (CoStoreRoster *roster)
{
  if (roster == NULL)
    return;

  g_free (roster->rows);
  if (roster->strings != NULL)
    g_string_chunk_free (roster->strings);
  g_free (roster);
}
