/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoBatchJob against the reference server (card-office-server --demo) on
 * 127.0.0.1 with a fresh SQLite file per test: chunks and keys fixed before
 * the first send, a chunk the server applied but whose answer was lost is
 * resent and replayed (not applied twice), cancel and resume, photos, and
 * the report as CSV (byte for byte) and XLSX.
 */
#define G_LOG_DOMAIN "test-batch-job"

#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "co-batch-export.h"
#include "co-batch-job.h"
#include "co-client.h"
#include "../api/test-fixtures.h"
#include "../api/test-server.h"

typedef struct
{
  TestServer   *server;
  CoClient     *client;
  GAsyncResult *result;
  char         *dir;
  char         *journal;
} Fixture;

static void
reset_result (Fixture *f)
{
  g_clear_object (&f->result);
}

#define AWAIT(f, fn, ...) \
  (reset_result (f), \
   fn##_async (__VA_ARGS__, NULL, store_result_cb, &(f)->result), \
   wait_for_result (&(f)->result))

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--today", "2026-03-20", NULL };
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-batch-job-XXXXXX", &error);
  g_assert_no_error (error);
  f->journal = g_build_filename (f->dir, "job.journal", NULL);

  if (test_server_binary () == NULL)
    return;

  f->server = test_server_start (args);
  f->client = co_client_new (f->server->url);
  co_client_set_timeout (f->client, 20);
  g_assert_true (co_client_sign_in_finish (f->client, AWAIT (f, co_client_sign_in, f->client,
                                                             "demo", "demo"), &error));
  g_assert_no_error (error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);

      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        remove_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->result);
  g_clear_object (&f->client);
  g_clear_pointer (&f->server, test_server_stop);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->journal);
}

#define SKIP_WITHOUT_SERVER(f) \
  if ((f)->server == NULL) \
    { \
      g_test_skip ("CO_TEST_SERVER does not name card-office-server"); \
      return; \
    }

/* @n new-card rows with IDs 6xxxxxxx; row 3 (if any) a transfer inside Beijing,
 * which the server refuses. */
static void
input_clear (CoBatchJobInput *in)
{
  g_free ((char *) in->edu_id);
  g_free ((char *) in->name);
  g_free ((char *) in->photo_path);
}

static GArray *
make_inputs (guint n,
             guint base)
{
  GArray *inputs = g_array_new (FALSE, TRUE, sizeof (CoBatchJobInput));

  g_array_set_clear_func (inputs, (GDestroyNotify) input_clear);

  for (guint i = 0; i < n; i++)
    {
      CoBatchJobInput in = { 0 };

      in.line = i + 2;
      in.edu_id = g_strdup_printf ("6%07u", base + i);
      in.name = g_strdup_printf ("学生%u", i);
      in.gender = i % 2 ? CO_GENDER_FEMALE : CO_GENDER_MALE;
      in.grade = 1;
      in.class_name = "1班";
      in.entry = i == 3 ? CO_ENTRY_TRANSFER_INSIDE : CO_ENTRY_NEW_ENTRANT;
      g_array_append_val (inputs, in);
    }
  return inputs;
}

static gboolean
run_job (Fixture       *f,
         CoBatchJob    *job,
         GCancellable  *cancellable,
         GError       **error)
{
  reset_result (f);
  co_batch_job_run_async (job, f->client, cancellable, store_result_cb, &f->result);
  return co_batch_job_run_finish (job, wait_for_result (&f->result), error);
}

/* How many batches the server holds (as the staff sees them: by id). */
static guint
count_server_batches (Fixture *f,
                      gint64   up_to)
{
  guint n = 0;

  for (gint64 id = 1; id <= up_to; id++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CoBatchReport) r = co_client_get_batch_finish (f->client,
                                                               AWAIT (f, co_client_get_batch, f->client,
                                                                      CO_BATCH_KIND_NEW_CARD, id),
                                                               &error);
      n += r != NULL;
    }
  return n;
}

static void
read_chunk (const char  *journal,
            guint        idx,
            char       **key,
            GBytes     **body)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (journal, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT idem_key, body FROM chunks WHERE idx = ?", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, idx);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *body = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
on_progress_cb (CoBatchJob *job,
                guint       done,
                guint       total,
                gpointer    user_data)
{
  guint *count = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, ==, co_batch_job_get_n_done (job));
  (*count)++;
}

static void
test_submit_and_replay (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GArray) inputs = make_inputs (25, 1000);
  g_autoptr(CoBatchJob) job = NULL;
  g_autoptr(CoBatchJob) reopened = NULL;
  g_autoptr(CoBatchReport) lost = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GBytes) body = NULL;
  struct stat st;
  guint progress = 0;
  gint64 last_batch;

  SKIP_WITHOUT_SERVER (f);

  job = co_batch_job_open (f->journal, &error);
  g_assert_no_error (error);
  g_assert_false (co_batch_job_is_prepared (job));
  g_assert_cmpint (stat (f->journal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (co_batch_job_prepare (job, CO_BATCH_KIND_NEW_CARD,
                                       (CoBatchJobInput *) (gpointer) inputs->data, inputs->len,
                                       10, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (co_batch_job_get_n_rows (job), ==, 25);
  g_assert_cmpuint (co_batch_job_get_n_chunks (job), ==, 3);
  g_assert_cmpuint (co_batch_job_get_row (job, 24)->chunk, ==, 2);
  g_assert_false (co_batch_job_is_complete (job));

  /* A second prepare is refused: the composition is fixed. */
  g_assert_false (co_batch_job_prepare (job, CO_BATCH_KIND_NEW_CARD,
                                        (CoBatchJobInput *) (gpointer) inputs->data, 1, 10, &error));
  g_assert_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_PREPARED);
  g_clear_error (&error);

  /* Chunk 0 reaches the server but its answer is lost (the crash between
   * the server's commit and the journal's): sent here by hand. */
  read_chunk (f->journal, 0, &key, &body);
  lost = co_client_report_batch_finish (f->client,
                                        AWAIT (f, co_client_report_batch, f->client,
                                               CO_BATCH_KIND_NEW_CARD, body, key),
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lost->n_accepted, ==, 9);

  /* The job, reopened from the journal, sends chunk 0 again: replayed. */
  g_clear_object (&job);
  reopened = co_batch_job_open (f->journal, &error);
  g_assert_no_error (error);
  g_assert_true (co_batch_job_is_prepared (reopened));
  g_assert_cmpuint (co_batch_job_get_n_chunks_done (reopened), ==, 0);
  g_signal_connect (reopened, "progress", G_CALLBACK (on_progress_cb), &progress);

  g_assert_true (run_job (f, reopened, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress, ==, 3);
  g_assert_true (co_batch_job_is_complete (reopened));
  g_assert_cmpuint (co_batch_job_count (reopened, CO_BATCH_ROW_ACCEPTED), ==, 24);
  g_assert_cmpuint (co_batch_job_count (reopened, CO_BATCH_ROW_REFUSED), ==, 1);
  g_assert_cmpstr (co_batch_job_get_row (reopened, 3)->code, ==, "new_card_transfer_inside");
  g_assert_nonnull (co_batch_job_get_row (reopened, 0)->card_no);
  /* Chunk 0's answer is the replay of the lost one. */
  g_assert_cmpint (co_batch_job_get_row (reopened, 0)->batch_id, ==, lost->id);

  /* Three batches on the server, not four. */
  last_batch = co_batch_job_get_row (reopened, 24)->batch_id;
  g_assert_cmpint (last_batch, ==, lost->id + 2);
  g_assert_cmpuint (count_server_batches (f, last_batch + 1), ==, 3);

  /* Running a finished job sends nothing. */
  g_assert_true (run_job (f, reopened, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_server_batches (f, last_batch + 1), ==, 3);
}

static void
on_progress_cancel_cb (CoBatchJob *job,
                       guint       done,
                       guint       total,
                       gpointer    user_data)
{
  /* After the second chunk's answer. */
  if (co_batch_job_get_n_chunks_done (job) == 2)
    g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
test_cancel_resume (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GArray) inputs = make_inputs (40, 2000);
  g_autoptr(CoBatchJob) job = NULL;
  g_autoptr(CoBatchJob) again = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gulong id;
  gint64 first, last;

  SKIP_WITHOUT_SERVER (f);

  job = co_batch_job_open (f->journal, &error);
  g_assert_no_error (error);

  /* Not prepared: nothing to run. */
  g_assert_false (run_job (f, job, NULL, &error));
  g_assert_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_NOT_PREPARED);
  g_clear_error (&error);

  g_assert_true (co_batch_job_prepare (job, CO_BATCH_KIND_NEW_CARD,
                                       (CoBatchJobInput *) (gpointer) inputs->data, inputs->len,
                                       5, &error));
  g_assert_no_error (error);

  id = g_signal_connect (job, "progress", G_CALLBACK (on_progress_cancel_cb), cancellable);
  g_assert_false (run_job (f, job, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_signal_handler_disconnect (job, id);
  g_assert_false (co_batch_job_is_running (job));
  g_assert_cmpuint (co_batch_job_get_n_chunks_done (job), ==, 2);
  g_assert_cmpuint (co_batch_job_get_n_done (job), ==, 10);
  g_assert_cmpint (co_batch_job_get_row (job, 10)->state, ==, CO_BATCH_ROW_PENDING);
  first = co_batch_job_get_row (job, 0)->batch_id;
  g_clear_object (&job);

  /* Resumed from the journal alone. */
  again = co_batch_job_open (f->journal, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (co_batch_job_get_n_done (again), ==, 10);
  g_assert_true (run_job (f, again, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (co_batch_job_is_complete (again));
  g_assert_cmpuint (co_batch_job_count (again, CO_BATCH_ROW_ACCEPTED), ==, 39);
  last = co_batch_job_get_row (again, 39)->batch_id;

  /* 8 chunks, 8 batches: nothing sent twice. */
  g_assert_cmpint (last - first, ==, 7);
  g_assert_cmpuint (count_server_batches (f, last + 1), ==, 8);
}

static void
write_photo (const char *path,
             int         width,
             int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  gdk_pixbuf_save (pixbuf, path, "jpeg", &error, NULL);
  g_assert_no_error (error);
}

static void
test_photos (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GArray) inputs = make_inputs (5, 3000);
  g_autoptr(CoBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autofree char *etag = NULL;
  CoBatchJobInput *in;

  SKIP_WITHOUT_SERVER (f);

  /* Row 0: a good photo; row 1: one cropped by hand; row 2: a file gone
   * bad after the check; row 3: refused by the server, its photo never
   * goes; row 4: none. */
  for (guint i = 0; i < 4; i++)
    {
      in = &g_array_index (inputs, CoBatchJobInput, i);
      in->photo_path = g_strdup_printf ("%s/%s.jpg", f->dir, in->edu_id);
      write_photo (in->photo_path, 520, 640);
    }
  in = &g_array_index (inputs, CoBatchJobInput, 1);
  in->has_crop = TRUE;
  in->crop = (CoPhotoCrop) { 10, 10, 260, 320 };
  g_file_set_contents (g_array_index (inputs, CoBatchJobInput, 2).photo_path, "not a photo", -1, &error);
  g_assert_no_error (error);

  job = co_batch_job_open (f->journal, &error);
  g_assert_no_error (error);
  g_assert_true (co_batch_job_prepare (job, CO_BATCH_KIND_NEW_CARD,
                                       (CoBatchJobInput *) (gpointer) inputs->data, inputs->len,
                                       2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (co_batch_job_count_photos (job, CO_BATCH_PHOTO_PENDING), ==, 4);

  g_assert_true (run_job (f, job, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (co_batch_job_is_complete (job));
  g_assert_cmpint (co_batch_job_get_row (job, 0)->photo, ==, CO_BATCH_PHOTO_SENT);
  g_assert_cmpint (co_batch_job_get_row (job, 1)->photo, ==, CO_BATCH_PHOTO_SENT);
  g_assert_cmpint (co_batch_job_get_row (job, 2)->photo, ==, CO_BATCH_PHOTO_FAILED);
  g_assert_cmpstr (co_batch_job_get_row (job, 2)->photo_code, ==, "not_jpeg_or_png");
  g_assert_cmpint (co_batch_job_get_row (job, 2)->state, ==, CO_BATCH_ROW_ACCEPTED);
  g_assert_cmpint (co_batch_job_get_row (job, 3)->state, ==, CO_BATCH_ROW_REFUSED);
  g_assert_cmpint (co_batch_job_get_row (job, 3)->photo, ==, CO_BATCH_PHOTO_NONE);
  g_assert_cmpint (co_batch_job_get_row (job, 4)->photo, ==, CO_BATCH_PHOTO_NONE);

  /* On the server: the card's 390 × 480 JPEG. */
  g_assert_true (co_client_get_photo_finish (f->client,
                                             AWAIT (f, co_client_get_photo, f->client,
                                                    co_batch_job_get_row (job, 0)->edu_id, NULL),
                                             &jpeg, &etag, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
    gdk_pixbuf_loader_write_bytes (loader, jpeg, &error);
    g_assert_no_error (error);
    gdk_pixbuf_loader_close (loader, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_pixbuf_get_width (gdk_pixbuf_loader_get_pixbuf (loader)), ==, CO_PHOTO_PREP_WIDTH);
    g_assert_cmpint (gdk_pixbuf_get_height (gdk_pixbuf_loader_get_pixbuf (loader)), ==, CO_PHOTO_PREP_HEIGHT);
  }
}

static char *
reason_cb (const CoBatchJobRow *row,
           gpointer             user_data)
{
  g_assert_cmpstr (user_data, ==, "data");
  if (row->code == NULL)
    return NULL;
  return g_strdup_printf ("原因: %s, \"引号\"", row->code);
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GArray) inputs = make_inputs (5, 4000);
  g_autoptr(CoBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *csv_path = g_build_filename (f->dir, "report.csv", NULL);
  g_autofree char *xlsx_path = g_build_filename (f->dir, "report.xlsx", NULL);
  g_autofree char *on_disk = NULL;
  gsize length;
  CoBatchExportText text = {
    { "行号", "教育ID", "姓名", "结果", "原因" },
    { "未发送", "已受理", "未受理" },
    reason_cb, (gpointer) "data"
  };
  const char *expected =
    "\xef\xbb\xbf行号,教育ID,姓名,结果,原因\r\n"
    "2,60004000,学生0,已受理,\r\n"
    "3,60004001,\"=1+2\",已受理,\r\n"
    "4,60004002,学生2,已受理,\r\n"
    "5,60004003,学生3,未受理,\"原因: new_card_transfer_inside, \"\"引号\"\"\"\r\n"
    "6,60004004,学生4,已受理,\r\n";

  SKIP_WITHOUT_SERVER (f);

  /* A name Excel would run as a formula. */
  g_free ((char *) g_array_index (inputs, CoBatchJobInput, 1).name);
  g_array_index (inputs, CoBatchJobInput, 1).name = g_strdup ("=1+2");

  job = co_batch_job_open (f->journal, &error);
  g_assert_no_error (error);
  g_assert_true (co_batch_job_prepare (job, CO_BATCH_KIND_NEW_CARD,
                                       (CoBatchJobInput *) (gpointer) inputs->data, inputs->len,
                                       0, &error));
  g_assert_no_error (error);
  g_assert_true (run_job (f, job, NULL, &error));
  g_assert_no_error (error);

  /* The formula guard: quoted, with a leading apostrophe. */
  csv = co_batch_export_csv_bytes (job, &text);
  {
    g_autoptr(GString) want = g_string_new (expected);
    g_string_replace (want, "\"=1+2\"", "\"'=1+2\"", 1);
    g_assert_cmpmem (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), want->str, want->len);
  }

  g_assert_true (co_batch_export_csv (job, &text, csv_path, &error));
  g_assert_no_error (error);
  g_file_get_contents (csv_path, &on_disk, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (on_disk, length, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));

  g_assert_true (co_batch_export_xlsx (job, &text, "报告", xlsx_path, &error));
  g_assert_no_error (error);
  {
    /* Read back with python3's zipfile: the shared strings and the sheet. */
    const char *argv[] = {
      "python3", "-c",
      "import sys, zipfile\n"
      "z = zipfile.ZipFile(sys.argv[1])\n"
      "s = z.read('xl/sharedStrings.xml').decode()\n"
      "w = z.read('xl/workbook.xml').decode()\n"
      "sh = z.read('xl/worksheets/sheet1.xml').decode()\n"
      "print(all(x in s for x in ['行号', '60004000', '学生3', '未受理', '=1+2', "
      "'原因: new_card_transfer_inside, \"引号\"'] ), '报告' in w, sh.count('<row '))\n",
      xlsx_path, NULL
    };
    g_autofree char *out = NULL;
    int status = 0;

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                       &status, &error))
      {
        g_test_skip ("python3 is not available to read the workbook back");
        return;
      }
    g_assert_no_error (error);
    g_assert_cmpstr (out, ==, "True True 6\n");
  }
  {
    g_autofree char *part = g_strconcat (xlsx_path, ".part", NULL);
    g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  }
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GArray) inputs = make_inputs (3, 5000);
  g_autoptr(CoBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir_journal = g_build_filename (f->dir, "no", "such", "dir", NULL);
  CoBatchJobInput *in = (CoBatchJobInput *) (gpointer) inputs->data;
  g_autoptr(CoBatchJob) none = NULL;

  none = co_batch_job_open (dir_journal, &error);
  g_assert_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_JOURNAL);
  g_assert_null (none);
  g_clear_error (&error);

  job = co_batch_job_open (f->journal, &error);
  g_assert_no_error (error);

  g_assert_false (co_batch_job_prepare (job, CO_BATCH_KIND_NEW_CARD, in, 0, 0, &error));
  g_assert_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_NO_ROWS);
  g_clear_error (&error);

  /* The same student twice. */
  g_free ((char *) in[2].edu_id);
  in[2].edu_id = g_strdup (in[0].edu_id);
  g_assert_false (co_batch_job_prepare (job, CO_BATCH_KIND_NEW_CARD, in, 3, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A 7-digit ID. */
  g_free ((char *) in[2].edu_id);
  in[2].edu_id = g_strdup ("1234567");
  g_assert_false (co_batch_job_prepare (job, CO_BATCH_KIND_NEW_CARD, in, 3, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (co_batch_job_is_prepared (job));

  /* A sticker list needs no name or class. */
  g_free ((char *) in[2].edu_id);
  in[2].edu_id = g_strdup ("65000009");
  in[1].class_name = NULL;
  g_assert_true (co_batch_job_prepare (job, CO_BATCH_KIND_STICKER, in, 3, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (co_batch_job_get_kind (job), ==, CO_BATCH_KIND_STICKER);
}

static void
test_from_import (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CoImport) import = co_import_new (CO_IMPORT_KIND_NEW_CARD);
  g_autoptr(CoBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "list.csv", NULL);
  const char *text =
    "教育ID,姓名,性别,年级,班级,来源\r\n"
    "66000001,甲,男,1,1班,新入学\r\n"
    "6600002,乙,女,1,1班,新入学\r\n"        /* leading zero lost: refused */
    "66000003,丙,女,1,1班,外省转入\r\n"
    "66000004,丁,男,1,1班,新入学\r\n";     /* excluded by the caller */
  guint excluded[] = { 3 };

  SKIP_WITHOUT_SERVER (f);

  g_file_set_contents (csv, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (co_import_load_file (import, csv, &error));
  g_assert_no_error (error);
  g_assert_cmpint (co_import_get_kind (import), ==, CO_IMPORT_KIND_NEW_CARD);

  job = co_batch_job_open (f->journal, &error);
  g_assert_no_error (error);
  g_assert_true (co_batch_job_prepare_from_import (job, import, excluded, 1, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (co_batch_job_get_n_rows (job), ==, 2);
  g_assert_cmpstr (co_batch_job_get_row (job, 0)->edu_id, ==, "66000001");
  g_assert_cmpuint (co_batch_job_get_row (job, 1)->line, ==, 4);
  g_assert_cmpstr (co_batch_job_get_row (job, 1)->name, ==, "丙");

  g_assert_true (run_job (f, job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (co_batch_job_count (job, CO_BATCH_ROW_ACCEPTED), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  test_server_parse_args (&argc, argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/batch/job/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

  ADD ("submit-and-replay", test_submit_and_replay);
  ADD ("cancel-resume", test_cancel_resume);
  ADD ("photos", test_photos);
  ADD ("export", test_export);
  ADD ("bad-input", test_bad_input);
  ADD ("from-import", test_from_import);

  return g_test_run ();
}
