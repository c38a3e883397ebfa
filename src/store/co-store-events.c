/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-store-events"

#include "config.h"

#include <string.h>

#include "co-store-events.h"
#include "co-store-private.h"
#include "co-verifier.h"

#define CURRENT_EVENT_KEY "current_event"

G_DEFINE_QUARK (co-store-events-error-quark, co_store_events_error)

static gboolean
set_error (GError     **error,
           sqlite3     *db,
           const char  *what)
{
  g_set_error (error, CO_STORE_ERROR, CO_STORE_ERROR_IO, "%s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

/* One statement on the write connection, @values bound as text (NULL
 * binds NULL). */
static gboolean
write_one (CoStore            *self,
           const char         *sql,
           const char * const *values,
           guint               n_values,
           GError            **error)
{
  sqlite3 *db = _co_store_lock_write (self);
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_error (error, db, "prepare");
      goto out;
    }

  for (guint i = 0; i < n_values; i++)
    {
      if (values[i] != NULL)
        sqlite3_bind_text (stmt, (int) i + 1, values[i], -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, (int) i + 1);
    }

  if (sqlite3_step (stmt) != SQLITE_DONE)
    set_error (error, db, "step");
  else
    ok = TRUE;

out:
  sqlite3_finalize (stmt);
  _co_store_unlock_write (self);
  return ok;
}

gboolean
co_store_put_event (CoStore  *self,
                    CoEvent  *event,
                    GError  **error)
{
  g_autofree char *allowed = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (CO_IS_EVENT (event), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  allowed = co_event_list_to_json (event);
  utc = g_date_time_new_now_utc ();
  now = g_date_time_format_iso8601 (utc);

  {
    const char *values[] = {
      co_event_get_id (event), co_event_get_name (event), co_event_get_date (event),
      allowed, now,
    };

    return write_one (self,
                      "INSERT INTO events (id, name, date, allowed, created_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5)"
                      " ON CONFLICT (id) DO UPDATE SET name = ?2, date = ?3, allowed = ?4",
                      values, G_N_ELEMENTS (values), error);
  }
}

static void
restore_check_in_cb (const char *idempotency_key,
                     const char *edu_id,
                     const char *result,
                     const char *checked_at,
                     gpointer    user_data)
{
  CoEvent *event = user_data;
  g_autoptr(GDateTime) at = NULL;

  if (edu_id == NULL || g_strcmp0 (result, co_verdict_kind_to_string (CO_VERDICT_VALID)) != 0)
    return;

  if ((at = g_date_time_new_from_iso8601 (checked_at, NULL)))
    co_event_check_in (event, edu_id, at);
}

GPtrArray *
co_store_list_events (CoStore  *self,
                      GError  **error)
{
  g_autoptr(GPtrArray) events = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CO_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = _co_store_get_read_db (self);
  if (sqlite3_prepare_v2 (db, "SELECT id, name, date, allowed FROM events"
                              " ORDER BY date DESC, created_at DESC, id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_error (error, db, "prepare");
      return NULL;
    }

  events = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *allowed = (const char *) sqlite3_column_text (stmt, 3);
      g_autoptr(CoEvent) event = co_event_new_with_id ((const char *) sqlite3_column_text (stmt, 0),
                                                       (const char *) sqlite3_column_text (stmt, 1),
                                                       (const char *) sqlite3_column_text (stmt, 2));
      g_autoptr(GError) local_error = NULL;

      if (allowed != NULL && !co_event_list_from_json (event, allowed, &local_error))
        {
          /* Never widen a damaged list to everybody: leave the event out. */
          g_warning ("An event’s list is damaged: %s", local_error->message);
          continue;
        }

      g_ptr_array_add (events, g_steal_pointer (&event));
    }

  if (rc != SQLITE_DONE)
    {
      set_error (error, db, "step");
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < events->len; i++)
    {
      CoEvent *event = g_ptr_array_index (events, i);

      co_store_foreach_check_in (self, co_event_get_id (event), restore_check_in_cb, event);
    }

  return g_steal_pointer (&events);
}

gboolean
co_store_set_current_event (CoStore     *self,
                            const char  *event_id,
                            GError     **error)
{
  const char *values[] = { CURRENT_EVENT_KEY, event_id };

  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return write_one (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                    values, G_N_ELEMENTS (values), error);
}

char *
co_store_get_current_event_id (CoStore *self)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  char *id = NULL;

  g_return_val_if_fail (CO_IS_STORE (self), NULL);

  db = _co_store_get_read_db (self);
  if (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = ?1", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, CURRENT_EVENT_KEY, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return id;
}

gboolean
co_store_rename_event (CoStore     *self,
                       const char  *event_id,
                       const char  *name,
                       GError     **error)
{
  const char *values[] = { event_id, name };

  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return write_one (self, "UPDATE events SET name = ?2 WHERE id = ?1",
                    values, G_N_ELEMENTS (values), error);
}

/* One statement with @event_id as ?1; @count: the first column of the
 * first row (nullable). */
static gboolean
run_with_id (sqlite3     *db,
             const char  *sql,
             const char  *event_id,
             gint64      *count,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return set_error (error, db, "prepare");

  sqlite3_bind_text (stmt, 1, event_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (count != NULL && rc == SQLITE_ROW)
    {
      *count = sqlite3_column_int64 (stmt, 0);
      ok = TRUE;
    }
  else if (count == NULL && rc == SQLITE_DONE)
    ok = TRUE;
  else
    set_error (error, db, "step");
  sqlite3_finalize (stmt);

  return ok;
}

gboolean
co_store_delete_event (CoStore     *self,
                       const char  *event_id,
                       GError     **error)
{
  sqlite3 *db;
  gint64 pending = 0;
  gboolean ok;

  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = _co_store_lock_write (self);
  if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_error (error, db, "begin");
      _co_store_unlock_write (self);
      return FALSE;
    }

  /* Checked and deleted in one transaction: no check-in can slip in. */
  ok = run_with_id (db,
                    "SELECT count(*) FROM outbox WHERE last_error IS NULL AND idempotency_key IN"
                    " (SELECT idempotency_key FROM check_ins WHERE event_id = ?1)",
                    event_id, &pending, error);
  if (ok && pending > 0)
    {
      g_set_error (error, CO_STORE_EVENTS_ERROR, CO_STORE_EVENTS_ERROR_PENDING,
                   "%" G_GINT64_FORMAT " check-ins of the event are not sent yet", pending);
      ok = FALSE;
    }
  ok = ok && run_with_id (db, "DELETE FROM events WHERE id = ?1", event_id, NULL, error);
  ok = ok && run_with_id (db, "DELETE FROM meta WHERE key = '" CURRENT_EVENT_KEY "' AND value = ?1",
                          event_id, NULL, error);

  if (ok && sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    ok = set_error (error, db, "commit");
  if (!ok)
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  _co_store_unlock_write (self);

  return ok;
}
