/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoVerifier on a real store file: every verdict, by chip UID, education
 * ID, 一卡通号 (the QR code's content), with and without an event.
 */
#define G_LOG_DOMAIN "test-verifier"

#include "config.h"

#include <signal.h>
#include <glib/gstdio.h>

#include "co-store.h"
#include "co-store-private.h"
#include "co-attendance.h"
#include "co-verifier.h"

#include <sqlite3.h>

typedef struct
{
  char       *dir;
  char       *path;
  CoStore    *store;
  CoVerifier *verifier;
} Fixture;

/* One student; card_no NULL: no card. */
static void
append_student (GString    *json,
                const char *edu_id,
                int         grade,
                const char *class_name,
                const char *card_no,
                const char *uid,
                const char *status,
                const char *valid_until)
{
  if (json->str[json->len - 1] != '[')
    g_string_append_c (json, ',');

  g_string_append_printf (json,
                          "{\"edu_id\":\"%s\",\"name\":\"学生%s\",\"gender\":\"female\",\"grade\":%d,"
                          "\"class_name\":\"%s\",\"stage\":\"%s\",\"entry\":\"continuing\","
                          "\"school_name\":\"北京市海淀区示范学校\",\"photo_etag\":null,"
                          "\"updated_at\":\"2026-03-02T09:15:00+08:00\",\"card\":",
                          edu_id, edu_id, grade, class_name,
                          grade <= 6 ? "primary" : grade <= 9 ? "junior" : "senior");
  if (card_no == NULL)
    g_string_append (json, "null");
  else
    g_string_append_printf (json,
                            "{\"card_no\":\"%s\",\"bjt_no\":\"110100000001\",\"uid\":\"%s\","
                            "\"status\":\"%s\",\"issued_on\":\"2025-09-01\",\"valid_until\":\"%s\"}",
                            card_no, uid, status, valid_until);
  g_string_append (json, ",\"reissue\":null}");
}

static void
apply_json (CoStore *store,
            GString *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoRosterDelta) page = NULL;
  g_autoptr(CoStoreChanges) changes = _co_store_changes_new ();

  g_string_append (json, "],\"removed\":[],\"next_cursor\":\"c\",\"has_more\":false}");
  page = co_json_decode_roster_page (co_json_parse (json->str, json->len, &error), &error);
  g_assert_no_error (error);
  g_assert_true (_co_store_apply_roster_page (store, page, FALSE, NULL, changes, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) first = g_string_new ("{\"students\":[");
  g_autoptr(GString) second = g_string_new ("{\"students\":[");
  GDate today;

  f->dir = g_dir_make_tmp ("co-verify-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.sqlite3", NULL);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);

  append_student (first, "10000001", 7, "1班", "1000751200000001", "04000001", "active", "2027-08-31");
  append_student (first, "10000002", 7, "1班", "1000751200000002", "04000002", "reported_lost", "2027-08-31");
  append_student (first, "10000003", 7, "1班", "1000751200000003", "04000003", "active", "2027-08-31");
  append_student (first, "10000004", 9, "2班", "1000751200000004", "04000004", "active", "2025-08-31");
  append_student (first, "10000005", 8, "1班", "1000751200000005", "04000005", "active", "2027-08-31");
  append_student (first, "10000006", 7, "1班", "1000751200000006", "04000006", "cancelled", "2027-08-31");
  append_student (first, "10000007", 1, "3班", NULL, NULL, NULL, NULL);
  append_student (first, "10000008", 7, "2班", "1000751200000008", "0400000A1B2C3D", "active", "2027-08-31");
  apply_json (f->store, first);

  /* 10000003 gets a reissued card: the first one is an old card now. */
  append_student (second, "10000003", 7, "1班", "1000751200000013", "04000013", "active", "2027-08-31");
  apply_json (f->store, second);

  f->verifier = co_verifier_new (f->store);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 2, G_DATE_MARCH, 2026);
  co_verifier_set_today (f->verifier, &today);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->verifier);
  g_clear_object (&f->store);
  g_remove (f->path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
assert_text (Fixture       *f,
             const char    *text,
             CoVerdictKind  kind,
             CoVerifyInput  input,
             const char    *edu_id)
{
  g_autoptr(CoVerdict) v = co_verifier_verify_text (f->verifier, text);

  g_assert_nonnull (v);
  g_assert_cmpint (v->kind, ==, kind);
  g_assert_cmpint (v->input, ==, input);
  if (edu_id == NULL)
    g_assert_null (v->student);
  else
    g_assert_cmpstr (co_student_get_edu_id (v->student), ==, edu_id);
}

static void
assert_uid (Fixture       *f,
            const char    *uid,
            CoVerdictKind  kind,
            const char    *edu_id)
{
  g_autoptr(CoVerdict) v = co_verifier_verify_uid (f->verifier, uid);

  g_assert_nonnull (v);
  g_assert_cmpint (v->kind, ==, kind);
  if (edu_id == NULL)
    g_assert_null (v->student);
  else
    g_assert_cmpstr (co_student_get_edu_id (v->student), ==, edu_id);
}

static void
test_valid (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CoVerdict) v = NULL;

  /* The chip UID, in any case and with separators. */
  assert_uid (f, "04000001", CO_VERDICT_VALID, "10000001");
  assert_uid (f, "04:00:00:01", CO_VERDICT_VALID, "10000001");
  assert_uid (f, "0400000a1b2c3d", CO_VERDICT_VALID, "10000008");
  /* Typed or scanned: education ID, 一卡通号 (the QR code), UID. */
  assert_text (f, "10000001", CO_VERDICT_VALID, CO_VERIFY_INPUT_EDU_ID, "10000001");
  assert_text (f, " 1000751200000001\n", CO_VERDICT_VALID, CO_VERIFY_INPUT_CARD_NO, "10000001");
  assert_text (f, "04000001", CO_VERDICT_VALID, CO_VERIFY_INPUT_UID, "10000001");
  assert_text (f, "04:00:00:0a:1b:2c:3d", CO_VERDICT_VALID, CO_VERIFY_INPUT_UID, "10000008");
  /* No card issued yet: the student is known, nothing to refuse. */
  assert_text (f, "10000007", CO_VERDICT_VALID, CO_VERIFY_INPUT_EDU_ID, "10000007");

  v = co_verifier_verify_uid (f->verifier, "04000001");
  g_assert_cmpstr (v->valid_until, ==, "2027-08-31");
  g_assert_cmpstr (co_card_get_card_no (v->card), ==, "1000751200000001");
  g_assert_cmpstr (co_student_get_class_name (v->student), ==, "1班");
  g_assert_null (v->checked_in_at);
}

static void
test_lost (Fixture       *f,
           gconstpointer  data)
{
  assert_uid (f, "04000002", CO_VERDICT_LOST, "10000002");
  assert_text (f, "1000751200000002", CO_VERDICT_LOST, CO_VERIFY_INPUT_CARD_NO, "10000002");
  assert_text (f, "10000002", CO_VERDICT_LOST, CO_VERIFY_INPUT_EDU_ID, "10000002");
}

static void
test_replaced (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CoVerdict) v = co_verifier_verify_uid (f->verifier, "04000003");

  g_assert_cmpint (v->kind, ==, CO_VERDICT_REPLACED);
  g_assert_cmpstr (co_card_get_card_no (v->card), ==, "1000751200000003");
  g_assert_cmpstr (co_student_get_card_no (v->student), ==, "1000751200000013");

  assert_text (f, "1000751200000003", CO_VERDICT_REPLACED, CO_VERIFY_INPUT_CARD_NO, "10000003");
  /* The new card and the student are fine. */
  assert_uid (f, "04000013", CO_VERDICT_VALID, "10000003");
  assert_text (f, "10000003", CO_VERDICT_VALID, CO_VERIFY_INPUT_EDU_ID, "10000003");
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  assert_uid (f, "04000006", CO_VERDICT_CANCELLED, "10000006");
}

static void
test_expired (Fixture       *f,
              gconstpointer  data)
{
  GDate day;

  assert_uid (f, "04000004", CO_VERDICT_EXPIRED, "10000004");
  assert_text (f, "10000004", CO_VERDICT_EXPIRED, CO_VERIFY_INPUT_EDU_ID, "10000004");

  /* The last day of 有效期 still counts. */
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 31, G_DATE_AUGUST, 2025);
  co_verifier_set_today (f->verifier, &day);
  assert_uid (f, "04000004", CO_VERDICT_VALID, "10000004");
  g_date_set_dmy (&day, 1, G_DATE_SEPTEMBER, 2027);
  co_verifier_set_today (f->verifier, &day);
  assert_uid (f, "04000001", CO_VERDICT_EXPIRED, "10000001");
}

static void
test_unknown (Fixture       *f,
              gconstpointer  data)
{
  assert_uid (f, "04FFFFFF", CO_VERDICT_UNKNOWN, NULL);
  assert_text (f, "19999999", CO_VERDICT_UNKNOWN, CO_VERIFY_INPUT_EDU_ID, NULL);
  assert_text (f, "1000751299999999", CO_VERDICT_UNKNOWN, CO_VERIFY_INPUT_CARD_NO, NULL);
  assert_text (f, "04AABBCCDDEEFF", CO_VERDICT_UNKNOWN, CO_VERIFY_INPUT_UID, NULL);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  assert_text (f, "", CO_VERDICT_BAD_INPUT, CO_VERIFY_INPUT_NONE, NULL);
  assert_text (f, "张三", CO_VERDICT_BAD_INPUT, CO_VERIFY_INPUT_NONE, NULL);
  assert_text (f, "1234", CO_VERDICT_BAD_INPUT, CO_VERIFY_INPUT_NONE, NULL);
  assert_text (f, "04000001X", CO_VERDICT_BAD_INPUT, CO_VERIFY_INPUT_NONE, NULL);
  assert_uid (f, "xyz", CO_VERDICT_BAD_INPUT, NULL);
}

static void
test_event (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CoEvent) event = co_event_new ("期中考试", "2026-03-02");
  g_autoptr(GDateTime) at = g_date_time_new_local (2026, 3, 2, 8, 5, 0);
  g_autoptr(CoVerdict) v = NULL;

  g_assert_false (co_event_has_list (event));
  co_verifier_set_event (f->verifier, event);
  /* No list: everybody may come. */
  assert_uid (f, "04000005", CO_VERDICT_VALID, "10000005");

  co_event_allow_class (event, 7, "1班");
  co_event_allow_student (event, "10000007");
  g_assert_true (co_event_has_list (event));
  assert_uid (f, "04000001", CO_VERDICT_VALID, "10000001");
  assert_text (f, "10000007", CO_VERDICT_VALID, CO_VERIFY_INPUT_EDU_ID, "10000007");
  assert_uid (f, "04000005", CO_VERDICT_NOT_ON_LIST, "10000005");
  assert_uid (f, "0400000A1B2C3D", CO_VERDICT_NOT_ON_LIST, "10000008");
  /* The card's own verdict comes first. */
  assert_uid (f, "04000002", CO_VERDICT_LOST, "10000002");

  co_event_allow_grade (event, 8);
  assert_uid (f, "04000005", CO_VERDICT_VALID, "10000005");

  g_assert_true (co_event_check_in (event, "10000001", at));
  g_assert_false (co_event_check_in (event, "10000001", at));
  g_assert_cmpuint (co_event_get_n_check_ins (event), ==, 1);

  v = co_verifier_verify_text (f->verifier, "1000751200000001");
  g_assert_cmpint (v->kind, ==, CO_VERDICT_ALREADY_CHECKED_IN);
  g_assert_nonnull (v->checked_in_at);
  g_assert_true (g_date_time_equal (v->checked_in_at, at));

  {
    g_autoptr(CoVerdict) copy = co_verdict_copy (v);
    g_assert_cmpint (copy->kind, ==, CO_VERDICT_ALREADY_CHECKED_IN);
    g_assert_true (copy->student == v->student);
  }

  co_verifier_set_event (f->verifier, NULL);
  assert_uid (f, "04000001", CO_VERDICT_VALID, "10000001");
}

/* What the verifier needs of the store: cards by 一卡通号 (old ones too)
 * and the snapshot's age. */
static void
test_store (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CoCard) card = NULL;
  g_autoptr(CoStudent) owner = NULL;
  g_autoptr(GDateTime) synced = co_store_get_synced_at (f->store);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  card = co_store_lookup_card_by_no (f->store, "1000751200000003", &owner);
  g_assert_nonnull (card);
  g_assert_cmpint (co_card_get_status (card), ==, CO_CARD_STATUS_CANCELLED);
  g_assert_cmpstr (co_card_get_uid (card), ==, "04000003");
  g_assert_cmpstr (co_student_get_edu_id (owner), ==, "10000003");
  g_assert_cmpstr (co_student_get_card_no (owner), ==, "1000751200000013");
  g_clear_object (&card);
  g_clear_object (&owner);

  card = co_store_lookup_card_by_no (f->store, "1000751200000013", NULL);
  g_assert_cmpint (co_card_get_status (card), ==, CO_CARD_STATUS_ACTIVE);
  g_assert_null (co_store_lookup_card_by_no (f->store, "1000751299999999", &owner));
  g_assert_null (owner);

  /* Set by each applied roster page, forgotten with the snapshot. */
  g_assert_nonnull (synced);
  g_assert_cmpint (g_date_time_difference (now, synced), <, 10 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (g_date_time_difference (now, synced), >=, -G_TIME_SPAN_SECOND);
  g_assert_true (co_store_clear (f->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&synced, g_date_time_unref);
  g_assert_null (co_store_get_synced_at (f->store));
}

static void
add_check_in (Fixture    *f,
              CoEvent    *event,
              const char *edu_id,
              const char *result,
              int         minute)
{
  g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 3, 2, 0, minute, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = co_store_add_check_in (f->store, co_event_get_id (event), edu_id, result,
                                                at, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
}

static void
test_attendance (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CoEvent) event = co_event_new ("期中考试", "2026-03-02");
  g_autoptr(CoEvent) open_event = co_event_new ("开放日", "2026-03-02");
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out2 = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  CoAttendanceCounts counts;
  g_autofree char *csv = NULL;

  co_event_allow_class (event, 7, "1班");
  add_check_in (f, event, "10000001", "valid", 0);
  add_check_in (f, event, "10000002", "lost", 1);
  add_check_in (f, event, NULL, "unknown", 2);
  add_check_in (f, event, "10000005", "not_on_list", 3);
  add_check_in (f, event, "10000001", "already_checked_in", 5);
  add_check_in (f, open_event, "10000004", "valid", 9);

  g_assert_true (co_attendance_write_csv (f->store, event, NULL, out, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  csv = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  g_assert_cmpstr (csv, ==,
                   "edu_id,name,grade,class,status,time,result\r\n"
                   "10000001,学生10000001,7,1班,present,2026-03-02T00:00:00Z,valid\r\n"
                   "10000002,学生10000002,7,1班,refused,2026-03-02T00:01:00Z,lost\r\n"
                   "10000003,学生10000003,7,1班,absent,,\r\n"
                   "10000005,学生10000005,8,1班,refused,2026-03-02T00:03:00Z,not_on_list\r\n"
                   "10000006,学生10000006,7,1班,absent,,\r\n"
                   ",,,,refused,2026-03-02T00:02:00Z,unknown\r\n");
  g_assert_cmpuint (counts.present, ==, 1);
  g_assert_cmpuint (counts.refused, ==, 3);
  g_assert_cmpuint (counts.absent, ==, 2);

  /* No list: only who came. */
  g_assert_true (co_attendance_write_csv (f->store, open_event, NULL, out2, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.present, ==, 1);
  g_assert_cmpuint (counts.absent + counts.refused, ==, 0);
}

static char *
word_result (const char *result,
             gpointer    user_data)
{
  g_assert_cmpstr (user_data, ==, "words");

  return g_str_equal (result, "lost") ? g_strdup ("已挂失") : NULL;
}

/* The caller's words: headers, statuses, results (NULL: the machine
 * word); a cell that would be a formula stays text. */
static void
test_attendance_words (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CoEvent) event = co_event_new ("=期中考试", "2026-03-02");
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  CoAttendanceText text = {
    .headers = { "教育ID", "姓名", "年级", "班级", "状态", "时间", "=结果" },
    .statuses = { [CO_ATTENDANCE_PRESENT] = "已核验", [CO_ATTENDANCE_REFUSED] = "未通过" },
    .result_func = word_result,
    .user_data = (gpointer) "words",
  };

  co_event_allow_student (event, "10000001");
  co_event_allow_student (event, "10000002");
  co_event_allow_student (event, "10000003");
  add_check_in (f, event, "10000001", "valid", 0);
  add_check_in (f, event, "10000002", "lost", 1);

  g_assert_true (co_attendance_write_csv (f->store, event, &text, out, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  csv = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  g_assert_cmpstr (csv, ==,
                   "教育ID,姓名,年级,班级,状态,时间,\"'=结果\"\r\n"
                   "10000001,学生10000001,7,1班,已核验,2026-03-02T00:00:00Z,valid\r\n"
                   "10000002,学生10000002,7,1班,未通过,2026-03-02T00:01:00Z,已挂失\r\n"
                   "10000003,学生10000003,7,1班,absent,,\r\n");
}

typedef struct
{
  GHashTable *keys;
  guint       valid;
} Seen;

static void
count_check_in_cb (const char *key,
                   const char *edu_id,
                   const char *result,
                   const char *checked_at,
                   gpointer    user_data)
{
  Seen *seen = user_data;

  g_assert_true (g_hash_table_add (seen->keys, g_strdup (key)));
  g_assert_nonnull (checked_at);
  if (g_str_equal (result, "valid"))
    seen->valid++;
}

#define N_KILLED_CHECK_INS 40

/* Check-ins waiting to be sent survive a kill -9 of the program, each
 * once, each with its outbox entry. */
static void
test_kill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autoptr(CoStore) store = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Seen seen = { keys, 0 };

  if (g_test_subprocess ())
    {
      g_autoptr(GDateTime) at = g_date_time_new_now_local ();

      store = co_store_open (g_getenv ("CO_TEST_KILL_STORE"), &error);
      g_assert_no_error (error);
      for (guint i = 0; i < N_KILLED_CHECK_INS; i++)
        {
          char edu_id[9];
          g_autofree char *key = NULL;

          g_snprintf (edu_id, sizeof edu_id, "%08u", 10000001 + i);
          key = co_store_add_check_in (store, "exam-1", i % 4 ? edu_id : NULL,
                                       i % 4 ? "valid" : "unknown", at, &error);
          g_assert_no_error (error);
          g_assert_nonnull (key);
        }
      /* No close, no flush: the process dies here. */
      raise (SIGKILL);
      g_assert_not_reached ();
    }

  dir = g_dir_make_tmp ("co-verify-kill-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "store.sqlite3", NULL);
  g_setenv ("CO_TEST_KILL_STORE", path, TRUE);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();

  store = co_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (co_store_foreach_check_in (store, "exam-1", count_check_in_cb, &seen), ==,
                    N_KILLED_CHECK_INS);
  g_assert_cmpuint (g_hash_table_size (keys), ==, N_KILLED_CHECK_INS);
  g_assert_cmpuint (seen.valid, ==, N_KILLED_CHECK_INS - N_KILLED_CHECK_INS / 4);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, N_KILLED_CHECK_INS);
  g_assert_cmpuint (co_store_foreach_check_in (store, "other", NULL, NULL), ==, 0);

  /* The outbox entry carries the same Idempotency-Key. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM outbox o JOIN check_ins c"
                                             " ON c.idempotency_key = o.idempotency_key"
                                             " WHERE o.method = 'POST'"
                                             " AND o.path = '/api/v1/events/exam-1/check-ins'",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, N_KILLED_CHECK_INS);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  g_clear_object (&store);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/core/verify/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

  ADD ("valid", test_valid);
  ADD ("lost", test_lost);
  ADD ("replaced", test_replaced);
  ADD ("cancelled", test_cancelled);
  ADD ("expired", test_expired);
  ADD ("unknown", test_unknown);
  ADD ("bad-input", test_bad_input);
  ADD ("event", test_event);
  ADD ("store", test_store);
  ADD ("attendance", test_attendance);
  ADD ("attendance-words", test_attendance_words);
  g_test_add_func ("/core/verify/check-ins/kill-9", test_kill);

  return g_test_run ();
}
