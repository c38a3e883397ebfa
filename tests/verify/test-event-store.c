/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Events kept in the store (co-store-events.h) on a real file: the list as
 * JSON and back, saved events and the current one over a reopen, check-ins
 * read back into the event, the migration from a version 2 file keeping
 * its check-ins, a damaged list never widened to everybody, and rename
 * and delete (refused while a check-in waits in the outbox; the check-ins
 * kept).
 */
#define G_LOG_DOMAIN "test-event-store"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "co-store.h"
#include "co-store-events.h"
#include "co-verifier.h"

typedef struct
{
  char    *dir;
  char    *path;
  CoStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("co-event-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.sqlite3", NULL);
}

static void
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->store);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->store);
  g_remove (f->path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
test_list_json (void)
{
  g_autoptr(CoEvent) event = co_event_new ("期中考试", "2026-03-02");
  g_autoptr(CoEvent) copy = co_event_new_with_id (co_event_get_id (event), "期中考试", "2026-03-02");
  g_autoptr(CoEvent) bad = co_event_new ("x", "2026-03-02");
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;

  g_assert_null (co_event_list_to_json (event));

  co_event_allow_grade (event, 9);
  co_event_allow_grade (event, 7);
  co_event_allow_class (event, 8, "2班");
  co_event_allow_student (event, "10000009");
  json = co_event_list_to_json (event);
  g_assert_cmpstr (json, ==,
                   "{\"grades\":[7,9],\"classes\":[[8,\"2班\"]],\"students\":[\"10000009\"]}");

  g_assert_cmpstr (co_event_get_id (copy), ==, co_event_get_id (event));
  g_assert_false (co_event_has_list (copy));
  g_assert_true (co_event_list_from_json (copy, json, &error));
  g_assert_no_error (error);
  again = co_event_list_to_json (copy);
  g_assert_cmpstr (again, ==, json);
  g_assert_cmpuint (co_event_get_n_allowed_grades (copy), ==, 2);
  g_assert_cmpuint (co_event_get_n_allowed_classes (copy), ==, 1);
  g_assert_cmpuint (co_event_get_n_allowed_students (copy), ==, 1);

  g_assert_false (co_event_list_from_json (bad, "{\"grades\":[13]}", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (co_event_list_from_json (bad, "[1]", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (co_event_list_from_json (bad, "{", &error));
  g_assert_nonnull (error);
}

static void
test_saved (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoEvent) exam = co_event_new ("期中考试", "2026-03-02");
  g_autoptr(CoEvent) trip = co_event_new ("春游", "2026-04-10");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-03-02T08:01:02+08:00", NULL);
  g_autofree char *key = NULL;
  g_autofree char *current = NULL;
  CoEvent *loaded;

  open_store (f);
  g_assert_null (co_store_get_current_event_id (f->store));
  events = co_store_list_events (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 0);
  g_clear_pointer (&events, g_ptr_array_unref);

  co_event_allow_class (exam, 7, "1班");
  g_assert_true (co_store_put_event (f->store, exam, &error));
  g_assert_no_error (error);
  g_assert_true (co_store_put_event (f->store, trip, &error));
  g_assert_no_error (error);
  g_assert_true (co_store_set_current_event (f->store, co_event_get_id (exam), &error));
  g_assert_no_error (error);

  /* A valid check-in, and a refusal, which checks nobody in. */
  key = co_store_add_check_in (f->store, co_event_get_id (exam), "10000001", "valid", at, &error);
  g_assert_no_error (error);
  g_clear_pointer (&key, g_free);
  key = co_store_add_check_in (f->store, co_event_get_id (exam), "10000005", "not_on_list", at,
                               &error);
  g_assert_no_error (error);

  /* A renamed event replaces itself. */
  g_clear_object (&trip);
  events = NULL;

  open_store (f);
  current = co_store_get_current_event_id (f->store);
  g_assert_cmpstr (current, ==, co_event_get_id (exam));

  events = co_store_list_events (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  /* Newest date first. */
  g_assert_cmpstr (co_event_get_name (g_ptr_array_index (events, 0)), ==, "春游");
  g_assert_false (co_event_has_list (g_ptr_array_index (events, 0)));
  loaded = g_ptr_array_index (events, 1);
  g_assert_cmpstr (co_event_get_id (loaded), ==, co_event_get_id (exam));
  g_assert_cmpstr (co_event_get_name (loaded), ==, "期中考试");
  g_assert_cmpstr (co_event_get_date (loaded), ==, "2026-03-02");
  g_assert_true (co_event_has_list (loaded));
  g_assert_cmpuint (co_event_get_n_allowed_classes (loaded), ==, 1);
  g_assert_cmpuint (co_event_get_n_check_ins (loaded), ==, 1);
  g_assert_nonnull (co_event_get_check_in (loaded, "10000001"));
  g_assert_true (g_date_time_equal (co_event_get_check_in (loaded, "10000001"), at));
  g_assert_null (co_event_get_check_in (loaded, "10000005"));

  /* Renamed: replaced, not added. */
  {
    g_autoptr(CoEvent) renamed = co_event_new_with_id (co_event_get_id (exam), "期末考试", "2026-03-02");
    g_autoptr(GPtrArray) after = NULL;

    g_assert_true (co_store_put_event (f->store, renamed, &error));
    g_assert_no_error (error);
    after = co_store_list_events (f->store, &error);
    g_assert_cmpuint (after->len, ==, 2);
    g_assert_cmpstr (co_event_get_name (g_ptr_array_index (after, 1)), ==, "期末考试");
    g_assert_false (co_event_has_list (g_ptr_array_index (after, 1)));
  }

  /* No current event. */
  g_assert_true (co_store_set_current_event (f->store, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&current, g_free);
  current = co_store_get_current_event_id (f->store);
  g_assert_null (current);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static int
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* A file written by the previous version (schema 2) gains the events
 * table and keeps its check-ins and outbox. */
static void
test_migration (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) at = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *key = NULL;

  open_store (f);
  key = co_store_add_check_in (f->store, "old-event", "10000001", "valid", at, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);

  /* Back to version 2, as the previous release left it. */
  exec_sql (f->path, "DROP TABLE events; PRAGMA user_version = 2;");
  g_assert_cmpint (query_int (f->path, "PRAGMA user_version"), ==, 2);

  open_store (f);
  g_assert_cmpint (query_int (f->path, "PRAGMA user_version"), ==, CO_STORE_SCHEMA_VERSION);
  g_assert_cmpint (CO_STORE_SCHEMA_VERSION, ==, 3);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM check_ins"), ==, 1);
  g_assert_cmpuint (co_store_get_n_outbox (f->store), ==, 1);
  events = co_store_list_events (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 0);
}

static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoEvent) event = co_event_new ("期中考试", "2026-03-02");
  g_autoptr(GPtrArray) events = NULL;

  open_store (f);
  co_event_allow_grade (event, 7);
  g_assert_true (co_store_put_event (f->store, event, &error));
  g_assert_no_error (error);
  exec_sql (f->path, "UPDATE events SET allowed = '{\"grades\":[99]}'");

  /* Left out rather than opened to everybody. */
  g_test_expect_message ("co-store-events", G_LOG_LEVEL_WARNING, "*list is damaged*");
  events = co_store_list_events (f->store, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 0);
}

/* Rename keeps the list and check-ins; delete is refused while a
 * check-in waits in the outbox, then forgets the event (and the pick)
 * but keeps its check-ins; a refused (never sent) item does not block. */
static void
test_rename_delete (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoEvent) exam = co_event_new ("期中考试", "2026-03-02");
  g_autoptr(CoEvent) trip = co_event_new ("春游", "2026-04-10");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-03-02T08:01:02+08:00", NULL);
  g_autofree char *exam_path = NULL;
  g_autofree char *current = NULL;
  const char *keys[3];
  guint n_sent = 0;

  open_store (f);
  co_event_allow_class (exam, 7, "1班");
  g_assert_true (co_store_put_event (f->store, exam, &error));
  g_assert_true (co_store_put_event (f->store, trip, &error));
  g_assert_true (co_store_set_current_event (f->store, co_event_get_id (exam), &error));
  g_assert_no_error (error);
  keys[0] = co_store_add_check_in (f->store, co_event_get_id (exam), "10000001", "valid", at, &error);
  keys[1] = co_store_add_check_in (f->store, co_event_get_id (exam), "10000002", "lost", at, &error);
  keys[2] = co_store_add_check_in (f->store, co_event_get_id (trip), "10000003", "valid", at, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_free ((char *) keys[i]);

  /* Renamed: the same event, list and check-ins kept. */
  g_assert_true (co_store_rename_event (f->store, co_event_get_id (exam), "期末考试", &error));
  g_assert_no_error (error);
  events = co_store_list_events (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (co_event_get_id (g_ptr_array_index (events, 1)), ==, co_event_get_id (exam));
  g_assert_cmpstr (co_event_get_name (g_ptr_array_index (events, 1)), ==, "期末考试");
  g_assert_true (co_event_has_list (g_ptr_array_index (events, 1)));
  g_assert_cmpuint (co_event_get_n_check_ins (g_ptr_array_index (events, 1)), ==, 1);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* Two check-ins still waiting: refused, nothing deleted. */
  g_assert_false (co_store_delete_event (f->store, co_event_get_id (exam), &error));
  g_assert_error (error, CO_STORE_EVENTS_ERROR, CO_STORE_EVENTS_ERROR_PENDING);
  g_clear_error (&error);
  events = co_store_list_events (f->store, &error);
  g_assert_cmpuint (events->len, ==, 2);
  g_clear_pointer (&events, g_ptr_array_unref);
  current = co_store_get_current_event_id (f->store);
  g_assert_cmpstr (current, ==, co_event_get_id (exam));
  g_clear_pointer (&current, g_free);

  /* One sent, one still waiting: still refused. */
  exam_path = g_strdup_printf ("/api/v1/events/%s/check-ins", co_event_get_id (exam));
  items = co_store_list_outbox (f->store, 0);
  g_assert_cmpuint (items->len, ==, 3);
  for (guint i = 0; i < items->len; i++)
    {
      CoOutboxItem *item = g_ptr_array_index (items, i);

      if (!g_str_equal (item->path, exam_path))
        continue;
      if (n_sent++ == 0)
        {
          g_assert_true (co_store_delete_outbox_item (f->store, item->id, &error));
          g_assert_no_error (error);
          g_assert_false (co_store_delete_event (f->store, co_event_get_id (exam), &error));
          g_assert_error (error, CO_STORE_EVENTS_ERROR, CO_STORE_EVENTS_ERROR_PENDING);
          g_clear_error (&error);
        }
      else
        {
          /* Refused by the server: never sent again, so not waiting. */
          g_assert_true (co_store_mark_outbox_refused (f->store, item->id, "404 not_found", &error));
          g_assert_no_error (error);
        }
    }
  g_assert_cmpuint (n_sent, ==, 2);

  g_assert_true (co_store_delete_event (f->store, co_event_get_id (exam), &error));
  g_assert_no_error (error);
  g_assert_null (co_store_get_current_event_id (f->store));
  /* The other event's waiting check-in does not block it, nor the reverse. */
  g_assert_false (co_store_delete_event (f->store, co_event_get_id (trip), &error));
  g_assert_error (error, CO_STORE_EVENTS_ERROR, CO_STORE_EVENTS_ERROR_PENDING);
  g_clear_error (&error);

  /* Over a reopen: gone, its check-ins kept. */
  open_store (f);
  events = co_store_list_events (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (co_event_get_id (g_ptr_array_index (events, 0)), ==, co_event_get_id (trip));
  g_assert_cmpuint (co_store_foreach_check_in (f->store, co_event_get_id (exam), NULL, NULL), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/verify/event-store/list-json", test_list_json);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/verify/event-store/saved", test_saved);
  ADD ("/verify/event-store/migration", test_migration);
  ADD ("/verify/event-store/damaged", test_damaged);
  ADD ("/verify/event-store/rename-delete", test_rename_delete);
#undef ADD

  return g_test_run ();
}
