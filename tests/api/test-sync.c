/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * co_sync_run_async () against the reference server: a full sync, a delta,
 * an interrupted sync resumed, another school, a refused cursor. After
 * each, the store's content equals the server's.
 */
#define G_LOG_DOMAIN "test-sync"

#include "config.h"

#include <string.h>

#include "co-client.h"
#include "co-store.h"
#include "co-store-private.h"
#include "co-sync.h"
#include "test-fixtures.h"
#include "test-server.h"

typedef struct
{
  TestServer   *server;
  CoClient     *client;
  char         *dir;
  char         *path;
  CoStore      *store;
  GAsyncResult *result;
} Fixture;

#define AWAIT(f, fn, ...) \
  (reset_result (f), \
   fn##_async (__VA_ARGS__, NULL, store_result_cb, &(f)->result), \
   wait_for_result (&(f)->result))

static void
reset_result (Fixture *f)
{
  g_clear_object (&f->result);
}

static void
sign_in (Fixture    *f,
         const char *username)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (co_client_sign_in_finish (f->client, AWAIT (f, co_client_sign_in, f->client, username,
                                                             username), &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--today", "2026-03-20", NULL };
  g_autoptr(GError) error = NULL;

  if (test_server_binary () == NULL)
    return;

  f->server = test_server_start (args);
  f->client = co_client_new (f->server->url);
  sign_in (f, "demo");

  f->dir = g_dir_make_tmp ("co-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.sqlite3", NULL);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->result);
  g_clear_object (&f->store);
  g_clear_object (&f->client);
  g_clear_pointer (&f->server, test_server_stop);

  if (f->path != NULL)
    {
      g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

      g_remove (wal);
      g_remove (shm);
      g_remove (f->path);
      g_rmdir (f->dir);
    }
  g_free (f->path);
  g_free (f->dir);
}

#define SKIP_WITHOUT_SERVER(f) \
  if ((f)->server == NULL) \
    { \
      g_test_skip ("CO_TEST_SERVER does not name card-office-server"); \
      return; \
    }

typedef struct
{
  guint         calls;
  guint         cancel_after;
  GCancellable *cancellable;
} Progress;

static void
on_progress_cb (const CoSyncStats *so_far,
                gpointer           user_data)
{
  Progress *progress = user_data;

  progress->calls++;
  g_assert_cmpuint (so_far->pages, ==, progress->calls);

  if (progress->cancellable != NULL && progress->calls == progress->cancel_after)
    g_cancellable_cancel (progress->cancellable);
}

static gboolean
run_sync (Fixture       *f,
          guint          page_size,
          Progress      *progress,
          GCancellable  *cancellable,
          CoSyncStats   *stats,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  co_sync_run_async (f->store, f->client, page_size, progress ? on_progress_cb : NULL, progress, NULL,
                     cancellable, store_result_cb, &result);
  return co_sync_run_finish (f->store, wait_for_result (&result), stats, error);
}

/* The store equals the server: every student, card and latest reissue. */
static void
assert_store_equals_server (Fixture *f)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  guint n_server = 0;

  do
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) page = NULL;
      g_autofree char *next = NULL;

      page = co_client_list_students_finish (f->client, AWAIT (f, co_client_list_students, f->client,
                                                                NULL, cursor, 1000),
                                             &next, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < g_list_model_get_n_items (page); i++)
        {
          g_autoptr(CoStudent) remote = g_list_model_get_item (page, i);
          const char *edu_id = co_student_get_edu_id (remote);
          g_autoptr(CoStudent) local = co_store_lookup_student (f->store, edu_id);

          if (local == NULL)
            g_error ("student %u missing from the store", n_server);

          g_assert_cmpstr (co_student_get_name (local), ==, co_student_get_name (remote));
          g_assert_cmpint (co_student_get_gender (local), ==, co_student_get_gender (remote));
          g_assert_cmpint (co_student_get_grade (local), ==, co_student_get_grade (remote));
          g_assert_cmpstr (co_student_get_class_name (local), ==, co_student_get_class_name (remote));
          g_assert_cmpint (co_student_get_entry (local), ==, co_student_get_entry (remote));
          g_assert_cmpstr (co_student_get_school (local), ==, co_student_get_school (remote));
          g_assert_cmpstr (co_student_get_photo_etag (local), ==, co_student_get_photo_etag (remote));
          g_assert_cmpstr (co_student_get_card_no (local), ==, co_student_get_card_no (remote));
          g_assert_cmpstr (co_student_get_bjt_no (local), ==, co_student_get_bjt_no (remote));
          g_assert_cmpstr (co_student_get_uid (local), ==, co_student_get_uid (remote));
          g_assert_cmpint (co_student_get_card_status (local), ==, co_student_get_card_status (remote));
          g_assert_cmpstr (co_student_get_valid_until (local), ==, co_student_get_valid_until (remote));

          g_hash_table_add (seen, g_strdup (edu_id));
          n_server++;
        }

      g_free (cursor);
      cursor = g_steal_pointer (&next);
    }
  while (cursor != NULL);

  g_assert_cmpuint (co_store_get_n_students (f->store), ==, n_server);

  /* The list model holds the same students, in education ID order. */
  {
    GListModel *model = co_store_get_students (f->store);
    char previous[16] = "";

    g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_server);
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(CoStudent) student = g_list_model_get_item (model, i);

        g_assert_true (g_hash_table_contains (seen, co_student_get_edu_id (student)));
        g_assert_cmpstr (previous, <, co_student_get_edu_id (student));
        g_strlcpy (previous, co_student_get_edu_id (student), sizeof previous);
      }
  }

  /* Each student's latest reissue (the list is newest first). */
  {
    g_autoptr(GHashTable) latest = g_hash_table_new (g_str_hash, g_str_equal);
    g_autofree char *rcursor = NULL;
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);

    do
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GListModel) page = NULL;
        g_autofree char *next = NULL;

        page = co_client_list_reissues_finish (f->client,
                                               AWAIT (f, co_client_list_reissues, f->client,
                                                      CO_REISSUE_STATUS_NONE, NULL, rcursor, 1000),
                                               &next, &error);
        g_assert_no_error (error);

        for (guint i = 0; i < g_list_model_get_n_items (page); i++)
          {
            CoReissue *remote = g_list_model_get_item (page, i);
            const char *edu_id = co_reissue_get_edu_id (remote);

            g_ptr_array_add (keep, remote);
            if (g_hash_table_contains (latest, edu_id))
              continue;
            g_hash_table_insert (latest, (gpointer) edu_id, remote);
          }

        g_free (rcursor);
        rcursor = g_steal_pointer (&next);
      }
    while (rcursor != NULL);

    {
      GHashTableIter iter;
      const char *edu_id;
      CoReissue *remote;

      g_hash_table_iter_init (&iter, latest);
      while (g_hash_table_iter_next (&iter, (gpointer *) &edu_id, (gpointer *) &remote))
        {
          g_autoptr(CoReissue) local = co_store_lookup_reissue (f->store, edu_id);

          g_assert_nonnull (local);
          g_assert_cmpstr (co_reissue_get_id (local), ==, co_reissue_get_id (remote));
          g_assert_cmpint (co_reissue_get_status (local), ==, co_reissue_get_status (remote));
          g_assert_cmpint (co_reissue_get_delivery (local), ==, co_reissue_get_delivery (remote));
          g_assert_cmpstr (co_reissue_get_paid_at (local), ==, co_reissue_get_paid_at (remote));
          g_assert_cmpstr (co_reissue_get_due_on (local), ==, co_reissue_get_due_on (remote));
          g_assert_cmpstr (co_reissue_get_courier_no (local), ==, co_reissue_get_courier_no (remote));
          g_assert_cmpstr (co_reissue_get_phone (local), ==, co_reissue_get_phone (remote));
        }
    }
  }
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *count)
{
  (*count)++;
}

static void
test_full (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };
  CoSyncStats stats;
  g_autofree char *cursor = NULL;
  guint changes = 0;

  SKIP_WITHOUT_SERVER (f);

  /* Somebody watches the list from the start. */
  g_assert_cmpuint (g_list_model_get_n_items (co_store_get_students (f->store)), ==, 0);
  g_signal_connect (co_store_get_students (f->store), "items-changed",
                    G_CALLBACK (on_items_changed_cb), &changes);

  g_assert_true (run_sync (f, 100, &progress, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_true (stats.full);
  g_assert_cmpuint (stats.students, >=, 1000);
  g_assert_cmpuint (stats.pages, ==, (stats.students + 99) / 100);
  g_assert_cmpuint (progress.calls, ==, stats.pages);
  g_assert_cmpuint (changes, >=, 1);

  cursor = co_store_get_cursor (f->store);
  g_assert_nonnull (cursor);

  assert_store_equals_server (f);
}

static void
test_delta (Fixture       *f,
            gconstpointer  data)
{
  CoDevStudent newcomer = { .name = "新来的", .gender = CO_GENDER_FEMALE, .grade = 1,
                            .class_name = "1班", .entry = CO_ENTRY_NEW_ENTRANT, .card = "not_issued" };
  CoCorrection correction = CO_CORRECTION_INIT;
  CoStudentQuery active = CO_STUDENT_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) students = NULL;
  g_autoptr(CoStudent) created = NULL;
  g_autoptr(CoStudent) watched = NULL;
  g_autoptr(CoStudent) removed_one = NULL;
  CoSyncStats stats;
  gboolean ok;

  SKIP_WITHOUT_SERVER (f);

  g_assert_true (run_sync (f, 500, NULL, NULL, &stats, &error));
  g_assert_no_error (error);

  /* Nothing changed: nothing moves. */
  g_assert_true (run_sync (f, 500, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_false (stats.full);
  g_assert_cmpuint (stats.students, ==, 0);
  g_assert_cmpuint (stats.removed, ==, 0);

  /* Three losses, one correction, one newcomer, one leaver. */
  active.status = CO_CARD_STATUS_ACTIVE;
  students = co_client_list_students_finish (f->client, AWAIT (f, co_client_list_students, f->client,
                                                                &active, NULL, 10),
                                             NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CoStudent) s = g_list_model_get_item (students, i);
      g_autoptr(CoStudent) lost = co_client_report_loss_finish (f->client,
                                                                AWAIT (f, co_client_report_loss, f->client,
                                                                       co_student_get_edu_id (s), NULL),
                                                                &error);
      g_assert_no_error (error);
    }

  {
    g_autoptr(CoStudent) s = g_list_model_get_item (students, 3);
    g_autoptr(CoStudent) corrected = NULL;

    /* An object the app holds is updated in place. */
    watched = co_store_lookup_student (f->store, co_student_get_edu_id (s));
    g_assert_nonnull (watched);
    correction.name = "改了名字";
    corrected = co_client_correct_student_finish (f->client,
                                                  AWAIT (f, co_client_correct_student, f->client,
                                                         co_student_get_edu_id (s), &correction, NULL),
                                                  &error);
    g_assert_no_error (error);
  }

  created = co_client_dev_create_student_finish (f->client,
                                                 AWAIT (f, co_client_dev_create_student, f->client,
                                                        &newcomer, NULL),
                                                 &error);
  g_assert_no_error (error);

  removed_one = g_list_model_get_item (students, 4);
  ok = co_client_dev_remove_student_finish (f->client,
                                            AWAIT (f, co_client_dev_remove_student, f->client,
                                                   co_student_get_edu_id (removed_one), NULL),
                                            &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  g_assert_true (run_sync (f, 500, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_false (stats.full);
  g_assert_cmpuint (stats.students, ==, 5);
  g_assert_cmpuint (stats.removed, ==, 1);
  g_assert_cmpuint (stats.pages, ==, 1);

  g_assert_cmpstr (co_student_get_name (watched), ==, "改了名字");
  g_assert_null (co_store_lookup_student (f->store, co_student_get_edu_id (removed_one)));
  {
    g_autoptr(CoStudent) local = co_store_lookup_student (f->store, co_student_get_edu_id (created));
    g_assert_nonnull (local);
  }

  assert_store_equals_server (f);
}

static void
test_interrupted (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Progress progress = { .cancel_after = 3, .cancellable = cancellable };
  CoSyncStats stats, resumed;
  guint applied;

  SKIP_WITHOUT_SERVER (f);

  /* Cancelled after the third page: what was committed stays. */
  g_assert_false (run_sync (f, 100, &progress, cancellable, &stats, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (stats.pages, >=, 3);
  g_assert_cmpuint (stats.pages, <=, 4);
  applied = co_store_get_n_students (f->store);
  g_assert_cmpuint (applied, ==, stats.students);
  g_assert_cmpuint (applied, ==, stats.pages * 100);

  /* Resumed from the last committed page: only the rest comes. */
  g_assert_true (run_sync (f, 100, NULL, NULL, &resumed, &error));
  g_assert_no_error (error);
  g_assert_false (resumed.full);
  g_assert_cmpuint (stats.students + resumed.students, ==, co_store_get_n_students (f->store));

  assert_store_equals_server (f);
}

static void
test_interrupted_by_network (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoClient) dead = NULL;
  CoSyncStats stats;

  SKIP_WITHOUT_SERVER (f);

  g_assert_true (run_sync (f, 300, NULL, NULL, &stats, &error));
  g_assert_no_error (error);

  /* The server goes away: the sync fails, the snapshot stays whole. */
  dead = co_client_new (f->server->url);
  co_client_set_token (dead, co_client_get_token (f->client));
  co_client_set_retry_policy (dead, 2, 10, 10);
  test_server_stop (g_steal_pointer (&f->server));

  {
    g_autoptr(GAsyncResult) result = NULL;
    guint before = co_store_get_n_students (f->store);
    g_autofree char *cursor = co_store_get_cursor (f->store);
    g_autofree char *after = NULL;

    co_sync_run_async (f->store, dead, 300, NULL, NULL, NULL, NULL, store_result_cb, &result);
    g_assert_false (co_sync_run_finish (f->store, wait_for_result (&result), &stats, &error));
    g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NETWORK);
    g_assert_cmpuint (stats.pages, ==, 0);
    g_assert_cmpuint (co_store_get_n_students (f->store), ==, before);
    after = co_store_get_cursor (f->store);
    g_assert_cmpstr (after, ==, cursor);
  }
}

static void
test_other_school (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CoSyncStats stats;
  guint school1;

  SKIP_WITHOUT_SERVER (f);

  g_assert_true (run_sync (f, 1000, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  school1 = co_store_get_n_students (f->store);

  /* Another school signs in on this computer: its own snapshot only. */
  sign_in (f, "demo2");
  g_assert_true (run_sync (f, 1000, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_true (stats.full);
  g_assert_cmpuint (co_store_get_n_students (f->store), <, school1);

  assert_store_equals_server (f);
}

static void
test_cursor_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStoreChanges) changes = _co_store_changes_new ();
  g_autoptr(CoRosterDelta) page = NULL;
  g_autofree char *scope = NULL;
  CoSyncStats stats;
  const char *empty = "{\"students\":[],\"removed\":[],\"next_cursor\":\"from-another-server\",\"has_more\":false}";

  SKIP_WITHOUT_SERVER (f);

  g_assert_true (run_sync (f, 1000, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  scope = co_store_get_scope (f->store);

  /* A cursor this server does not know (its database was replaced). */
  page = co_json_decode_roster_page (co_json_parse (empty, strlen (empty), NULL), &error);
  g_assert_no_error (error);
  g_assert_true (_co_store_apply_roster_page (f->store, page, FALSE, scope, changes, &error));

  g_assert_true (run_sync (f, 1000, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_true (stats.full);

  assert_store_equals_server (f);
}

static void
test_one_at_a_time (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  CoSyncStats stats;

  SKIP_WITHOUT_SERVER (f);

  co_sync_run_async (f->store, f->client, 100, NULL, NULL, NULL, NULL, store_result_cb, &first);
  co_sync_run_async (f->store, f->client, 100, NULL, NULL, NULL, NULL, store_result_cb, &second);

  g_assert_false (co_sync_run_finish (f->store, wait_for_result (&second), &stats, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);

  g_assert_true (co_sync_run_finish (f->store, wait_for_result (&first), &stats, &error));
  g_assert_no_error (error);

  /* Free again afterwards. */
  g_assert_true (run_sync (f, 100, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.students, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  test_server_parse_args (&argc, argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/core/sync/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

  ADD ("full", test_full);
  ADD ("delta", test_delta);
  ADD ("interrupted", test_interrupted);
  ADD ("interrupted-by-network", test_interrupted_by_network);
  ADD ("other-school", test_other_school);
  ADD ("cursor-refused", test_cursor_refused);
  ADD ("one-at-a-time", test_one_at_a_time);

  return g_test_run ();
}
