/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoStore on a real SQLite file: permissions, WAL, migrations, applying
 * roster pages, lookups, the list model and its notifications.
 */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "co-store.h"
#include "co-store-private.h"
#include "roster-gen.h"

typedef struct
{
  char    *dir;
  char    *path;
  CoStore *store;
} Fixture;

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("co-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "sub", "dir", "store.sqlite3", NULL);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)))
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }

  g_remove (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A page of students @first .. @first + @n - 1 at @version. */
static CoRosterDelta *
make_page (guint        first,
           guint        n,
           guint        version,
           const char  *removed,
           const char  *cursor)
{
  g_autoptr(GString) json = g_string_new ("{\"students\":[");
  g_autoptr(GError) error = NULL;
  CoRosterDelta *page;
  JsonNode *root;

  for (guint i = 0; i < n; i++)
    {
      GenStudent s = { .n = first + i, .version = version, .no_card = (first + i) % 7 == 0,
                       .reissue = (first + i) % 5 == 0 };

      if (i > 0)
        g_string_append_c (json, ',');
      gen_student_json (json, &s);
    }
  g_string_append_printf (json, "],\"removed\":[%s],\"next_cursor\":\"%s\",\"has_more\":false}",
                          removed ? removed : "", cursor);

  root = co_json_parse (json->str, json->len, &error);
  g_assert_no_error (error);
  page = co_json_decode_roster_page (root, &error);
  g_assert_no_error (error);

  return page;
}

static void
apply (CoStore      *store,
       CoRosterDelta *page,
       gboolean      reset)
{
  g_autoptr(GError) error = NULL;
  CoStoreChanges *changes = _co_store_changes_new ();

  g_assert_true (_co_store_apply_roster_page (store, page, reset, "http://x|school", changes, &error));
  g_assert_no_error (error);
  _co_store_queue_changes (store, changes);
  _co_store_flush_changes (store);
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GArray     *log)
{
  Change change = { position, removed, added };

  g_array_append_val (log, change);
}

static void
test_open_private (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autoptr(CoRosterDelta) page = make_page (0, 3, 0, NULL, "c1");
  struct stat st;

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  apply (f->store, page, FALSE);

  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_open_tightens (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("co-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "store.sqlite3", NULL);
  g_autoptr(CoStore) store = NULL;
  struct stat st;

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_chmod (path, 0644);

  store = co_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_clear_object (&store);
  remove_tree (dir);
}

static void
test_open_wal_and_version (Fixture       *f,
                           gconstpointer  data)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, CO_STORE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);

  sqlite3_close (db);
}

static void
test_open_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("co-store-XXXXXX", &error);
  g_autofree char *junk = g_build_filename (dir, "junk.sqlite3", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.sqlite3", NULL);
  g_autofree char *blocked = g_build_filename (dir, "junk.sqlite3", "store.sqlite3", NULL);
  g_autoptr(CoStore) store = NULL;
  sqlite3 *db = NULL;

  /* Not a database. */
  g_assert_true (g_file_set_contents (junk, "this is not a database, not at all; "
                                      "it only needs to be long enough to be read", -1, &error));
  store = co_store_open (junk, &error);
  g_assert_null (store);
  g_assert_error (error, CO_STORE_ERROR, CO_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Written by a newer version. */
  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = co_store_open (newer, &error);
  g_assert_null (store);
  g_assert_error (error, CO_STORE_ERROR, CO_STORE_ERROR_TOO_NEW);
  g_clear_error (&error);

  /* A folder that cannot be made. */
  store = co_store_open (blocked, &error);
  g_assert_null (store);
  g_assert_error (error, CO_STORE_ERROR, CO_STORE_ERROR_OPEN);

  remove_tree (dir);
}

static void
test_apply_and_lookup (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CoRosterDelta) page = make_page (0, 50, 1, NULL, "c50");
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(CoStudent) owner = NULL;
  g_autoptr(CoCard) card = NULL;
  g_autoptr(CoReissue) reissue = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *scope = NULL;

  g_assert_null (co_store_get_cursor (f->store));
  apply (f->store, page, FALSE);

  cursor = co_store_get_cursor (f->store);
  g_assert_cmpstr (cursor, ==, "c50");
  scope = co_store_get_scope (f->store);
  g_assert_cmpstr (scope, ==, "http://x|school");
  g_assert_cmpuint (co_store_get_n_students (f->store), ==, 50);

  student = co_store_lookup_student (f->store, "10000004");
  g_assert_nonnull (student);
  g_assert_cmpstr (co_student_get_name (student), ==, "学生3-1");
  g_assert_cmpint (co_student_get_grade (student), ==, 4);
  g_assert_cmpint (co_student_get_card_status (student), ==, CO_CARD_STATUS_REPORTED_LOST);
  g_assert_cmpstr (co_student_get_card_no (student), ==, "1000751200000030");
  g_assert_cmpstr (co_student_get_uid (student), ==, "04000030");
  g_assert_cmpstr (co_student_get_valid_until (student), ==, "2027-08-31");

  /* Student 7 has no card. */
  g_clear_object (&student);
  student = co_store_lookup_student (f->store, "10000008");
  g_assert_null (co_student_get_card_no (student));
  g_assert_cmpint (co_student_get_card_status (student), ==, CO_CARD_STATUS_NOT_ISSUED);

  /* By chip UID, any case. */
  card = co_store_lookup_card_by_uid (f->store, "04000030", &owner);
  g_assert_nonnull (card);
  g_assert_cmpstr (co_card_get_edu_id (card), ==, "10000004");
  g_assert_cmpstr (co_student_get_edu_id (owner), ==, "10000004");
  g_clear_object (&card);
  g_clear_object (&owner);
  card = co_store_lookup_card_by_uid (f->store, "040000a0", NULL);
  g_assert_nonnull (card);
  g_clear_object (&card);
  g_assert_null (co_store_lookup_card_by_uid (f->store, "DEADBEEF", NULL));

  reissue = co_store_lookup_reissue (f->store, "10000006");
  g_assert_nonnull (reissue);
  g_assert_cmpstr (co_reissue_get_id (reissue), ==, "1005");
  g_assert_cmpint (co_reissue_get_status (reissue), ==, CO_REISSUE_STATUS_PENDING_PAYMENT);
  g_assert_null (co_store_lookup_reissue (f->store, "10000002"));
  g_assert_null (co_store_lookup_student (f->store, "19999999"));
}

static void
test_replaced_card (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoRosterDelta) page1 = NULL;
  g_autoptr(CoRosterDelta) page2 = NULL;
  g_autoptr(GString) json = g_string_new ("{\"students\":[");
  g_autoptr(CoCard) old_card = NULL;
  g_autoptr(CoCard) new_card = NULL;
  g_autoptr(CoStudent) owner = NULL;
  GenStudent s = { .n = 1, .version = 0, .card_gen = 1 };

  page1 = make_page (1, 1, 0, NULL, "c1");
  apply (f->store, page1, FALSE);

  /* A reissued card arrives: the old one is cancelled for good. */
  gen_student_json (json, &s);
  g_string_append (json, "],\"removed\":[],\"next_cursor\":\"c2\",\"has_more\":false}");
  page2 = co_json_decode_roster_page (co_json_parse (json->str, json->len, &error), &error);
  g_assert_no_error (error);
  apply (f->store, page2, FALSE);

  old_card = co_store_lookup_card_by_uid (f->store, "04000010", &owner);
  g_assert_nonnull (old_card);
  g_assert_cmpint (co_card_get_status (old_card), ==, CO_CARD_STATUS_CANCELLED);
  g_assert_cmpstr (co_student_get_card_no (owner), ==, "1000751200000011");

  new_card = co_store_lookup_card (f->store, "10000002");
  g_assert_cmpstr (co_card_get_uid (new_card), ==, "04000011");
  g_assert_cmpint (co_card_get_status (new_card), ==, CO_CARD_STATUS_ACTIVE);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_model (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(CoRosterDelta) page1 = make_page (0, 10, 0, NULL, "c1");
  g_autoptr(CoRosterDelta) page2 = make_page (10, 10, 0, NULL, "c2");
  g_autoptr(CoRosterDelta) page3 = make_page (3, 2, 1, NULL, "c3");
  g_autoptr(CoRosterDelta) page4 = make_page (100, 1, 0, "\"10000006\",\"10000015\"", "c4");
  g_autoptr(CoStudent) held = NULL;
  g_autoptr(CoStudent) again = NULL;
  GListModel *model = co_store_get_students (f->store);
  guint notified = 0;

  g_assert_true (g_list_model_get_item_type (model) == CO_TYPE_STUDENT);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), log);

  apply (f->store, page1, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpuint (g_array_index (log, Change, 0).position, ==, 0);
  g_assert_cmpuint (g_array_index (log, Change, 0).added, ==, 10);

  /* Appended in education ID order. */
  g_array_set_size (log, 0);
  apply (f->store, page2, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 20);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpuint (g_array_index (log, Change, 0).position, ==, 10);
  g_assert_cmpuint (g_array_index (log, Change, 0).removed, ==, 0);
  g_assert_cmpuint (g_array_index (log, Change, 0).added, ==, 10);

  /* One object per student while held, updated in place. */
  held = g_list_model_get_item (model, 3);
  again = co_store_lookup_student (f->store, "10000004");
  g_assert_true (held == again);
  g_assert_cmpstr (co_student_get_name (held), ==, "学生3-0");
  g_signal_connect_swapped (held, "notify::name", G_CALLBACK (count_cb), &notified);

  g_array_set_size (log, 0);
  apply (f->store, page3, FALSE);
  g_assert_cmpstr (co_student_get_name (held), ==, "学生3-1");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpuint (g_array_index (log, Change, 0).position, ==, 3);
  g_assert_cmpuint (g_array_index (log, Change, 0).removed, ==, 1);
  g_assert_cmpuint (g_array_index (log, Change, 0).added, ==, 1);
  g_assert_cmpuint (g_array_index (log, Change, 1).position, ==, 4);

  /* Removals and an addition. */
  g_array_set_size (log, 0);
  apply (f->store, page4, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 19);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CoStudent) s = g_list_model_get_item (model, i);
      g_assert_cmpstr (co_student_get_edu_id (s), !=, "10000006");
    }
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpuint (g_array_index (log, Change, 0).position, ==, 5);
  g_assert_null (g_list_model_get_item (model, 19));
}

static void
test_model_big_change_is_one_signal (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(CoRosterDelta) page1 = make_page (0, 3000, 0, NULL, "c1");
  g_autoptr(CoRosterDelta) page2 = make_page (0, 3000, 1, NULL, "c2");
  GListModel *model = co_store_get_students (f->store);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), log);

  apply (f->store, page1, FALSE);
  apply (f->store, page2, FALSE);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpuint (g_array_index (log, Change, 1).position, ==, 0);
  g_assert_cmpuint (g_array_index (log, Change, 1).removed, ==, 3000);
  g_assert_cmpuint (g_array_index (log, Change, 1).added, ==, 3000);
}

static void
test_reset_and_clear (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoRosterDelta) page1 = make_page (0, 10, 0, NULL, "c1");
  g_autoptr(CoRosterDelta) page2 = make_page (50, 5, 0, NULL, "d1");
  g_autoptr(CoStudent) student = NULL;

  apply (f->store, page1, FALSE);
  g_assert_cmpuint (co_store_get_n_students (f->store), ==, 10);

  /* A reset page replaces everything in its transaction. */
  apply (f->store, page2, TRUE);
  g_assert_cmpuint (co_store_get_n_students (f->store), ==, 5);
  g_assert_null (co_store_lookup_student (f->store, "10000001"));

  g_assert_true (co_store_clear (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (co_store_get_n_students (f->store), ==, 0);
  g_assert_null (co_store_get_cursor (f->store));
  g_assert_null (co_store_lookup_card_by_uid (f->store, "04000320", NULL));
}

static void
test_update_student (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoRosterDelta) page = make_page (0, 5, 0, NULL, "c1");
  g_autoptr(CoStudent) held = NULL;
  g_autoptr(CoStudent) answer = NULL;
  g_autoptr(CoCard) card = NULL;
  GListModel *model = co_store_get_students (f->store);

  apply (f->store, page, FALSE);
  held = g_list_model_get_item (model, 1);
  g_assert_cmpint (co_student_get_card_status (held), ==, CO_CARD_STATUS_ACTIVE);

  /* The answer to 挂失, as the client decoded it. */
  answer = co_student_new ("10000002", co_student_get_name (held));
  co_student_set_grade (answer, co_student_get_grade (held));
  co_student_set_class_name (answer, co_student_get_class_name (held));
  co_student_set_school (answer, co_student_get_school (held));
  co_student_set_card_no (answer, co_student_get_card_no (held));
  co_student_set_bjt_no (answer, co_student_get_bjt_no (held));
  co_student_set_uid (answer, co_student_get_uid (held));
  co_student_set_card_status (answer, CO_CARD_STATUS_REPORTED_LOST);

  g_assert_true (co_store_update_student (f->store, answer, &error));
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (held), ==, CO_CARD_STATUS_REPORTED_LOST);

  card = co_store_lookup_card (f->store, "10000002");
  g_assert_cmpint (co_card_get_status (card), ==, CO_CARD_STATUS_REPORTED_LOST);
  /* What the answer does not carry is kept. */
  g_assert_cmpstr (co_card_get_issued_on (card), ==, "2025-09-01");
}

static void
test_photos (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = g_bytes_new_static ("\xff\xd8\xff\xe0 fake", 9);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(CoRosterDelta) page = make_page (0, 3, 0, NULL, "c1");
  g_autoptr(CoRosterDelta) removal = make_page (0, 0, 0, "\"10000002\"", "c2");
  g_autofree char *etag = NULL;

  apply (f->store, page, FALSE);
  g_assert_null (co_store_get_photo (f->store, "10000002", &etag));
  g_assert_null (etag);

  g_assert_true (co_store_put_photo (f->store, "10000002", "\"e1\"", jpeg, &error));
  g_assert_no_error (error);
  back = co_store_get_photo (f->store, "10000002", &etag);
  g_assert_true (g_bytes_equal (back, jpeg));
  g_assert_cmpstr (etag, ==, "\"e1\"");

  /* A student who leaves takes the photo along. */
  apply (f->store, removal, FALSE);
  g_clear_pointer (&back, g_bytes_unref);
  g_clear_pointer (&etag, g_free);
  g_assert_null (co_store_get_photo (f->store, "10000002", &etag));
}

typedef struct
{
  CoStore *store;
  guint    pages;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;

  for (guint p = 0; p < w->pages; p++)
    {
      g_autoptr(CoRosterDelta) page = make_page (p * 200, 200, 0, NULL, "c");
      g_autoptr(CoStoreChanges) changes = _co_store_changes_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (_co_store_apply_roster_page (w->store, page, FALSE, NULL, changes, &error));
      g_assert_no_error (error);
    }

  return NULL;
}

static void
test_concurrent_reads (Fixture       *f,
                       gconstpointer  data)
{
  Writer w = { f->store, 20 };
  GThread *thread;
  guint reads = 0;

  /* The main thread keeps reading while a worker writes (WAL). */
  thread = g_thread_new ("writer", writer_thread, &w);
  while (reads < 2000)
    {
      g_autoptr(CoStudent) student = co_store_lookup_student (f->store, "10000001");
      g_autofree char *cursor = co_store_get_cursor (f->store);

      if (student != NULL)
        g_assert_cmpstr (co_student_get_edu_id (student), ==, "10000001");
      reads++;
    }
  g_thread_join (thread);

  {
    g_autoptr(CoStudent) last = co_store_lookup_student (f->store, "10003999");
    g_assert_nonnull (last);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/core/store/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

  ADD ("open/private", test_open_private);
  ADD ("open/wal-and-version", test_open_wal_and_version);
  g_test_add_func ("/core/store/open/tightens", test_open_tightens);
  g_test_add_func ("/core/store/open/errors", test_open_errors);
  ADD ("apply-and-lookup", test_apply_and_lookup);
  ADD ("replaced-card", test_replaced_card);
  ADD ("model/changes", test_model);
  ADD ("model/big-change", test_model_big_change_is_one_signal);
  ADD ("reset-and-clear", test_reset_and_clear);
  ADD ("update-student", test_update_student);
  ADD ("photos", test_photos);
  ADD ("concurrent-reads", test_concurrent_reads);

  return g_test_run ();
}
