/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * bench-import: reading and validating a 新制卡 list of 5,000 rows in GBK,
 * with one photo per row in a folder (copies of a small 260 × 320 JPEG),
 * as CoImport does it for the app and check-import. Files are made in a
 * temporary folder; the figure is the median of 5 rounds, each a fresh
 * CoImport (file read, decoding, parsing, photo folder scan, every photo
 * header read and checked).
 *   BENCH import.rows_5000 <ms> ms        (target <= 1000 ms)
 * and submitting 500 new-card rows through CoBatchJob (journal, chunks of
 * 50) to the reference server on 127.0.0.1, from prepare to the last answer:
 *   BENCH import.submit_500 <ms> ms
 */
#define G_LOG_DOMAIN "bench-import"

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "co-batch-job.h"
#include "co-client.h"
#include "co-import.h"
#include "test-server.h"

#define N_ROWS   5000
#define N_ROUNDS 5

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* -1 when there is no server to submit to. */
static double
bench_submit (const char *dir)
{
  static const char * const args[] = { "--demo", "--today", "2026-03-20", NULL };
  g_autofree char *journal = g_build_filename (dir, "submit.journal", NULL);
  g_autoptr(GArray) inputs = g_array_new (FALSE, TRUE, sizeof (CoBatchJobInput));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CoClient) client = NULL;
  g_autoptr(CoBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  TestServer *server;
  gint64 t0;
  double ms;

#ifdef CO_BENCH_SERVER
  if (g_getenv ("CO_TEST_SERVER") == NULL)
    g_setenv ("CO_TEST_SERVER", CO_BENCH_SERVER, TRUE);
#endif
  if (test_server_binary () == NULL)
    return -1;

  server = test_server_start (args);
  client = co_client_new (server->url);
  co_client_sign_in_async (client, "demo", "demo", NULL, result_cb, &result);
  if (!co_client_sign_in_finish (client, wait_result (&result), &error))
    g_error ("%s", error->message);
  g_clear_object (&result);

  for (guint i = 0; i < 500; i++)
    {
      CoBatchJobInput in = { 0 };
      char *id = g_strdup_printf ("9%07u", i * 11 + 7);
      char *name = g_strdup_printf ("学生%u", i);

      g_ptr_array_add (strings, id);
      g_ptr_array_add (strings, name);
      in.line = i + 2;
      in.edu_id = id;
      in.name = name;
      in.gender = i % 2;
      in.grade = 1;
      in.class_name = "1班";
      in.entry = CO_ENTRY_NEW_ENTRANT;
      g_array_append_val (inputs, in);
    }

  t0 = g_get_monotonic_time ();
  if (!(job = co_batch_job_open (journal, &error)) ||
      !co_batch_job_prepare (job, CO_BATCH_KIND_NEW_CARD, (CoBatchJobInput *) (gpointer) inputs->data,
                             inputs->len, 50, &error))
    g_error ("%s", error->message);
  co_batch_job_run_async (job, client, NULL, result_cb, &result);
  if (!co_batch_job_run_finish (job, wait_result (&result), &error))
    g_error ("%s", error->message);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  g_clear_object (&result);

  if (co_batch_job_count (job, CO_BATCH_ROW_PENDING) != 0 ||
      co_batch_job_get_n_chunks_done (job) != 10)
    g_error ("unexpected result: %u pending", co_batch_job_count (job, CO_BATCH_ROW_PENDING));

  g_clear_object (&job);
  g_unlink (journal);
  g_clear_object (&client);
  test_server_stop (server);
  return ms;
}

int
main (int    argc,
      char **argv)
{
  static const char * const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "欧阳" };
  static const char * const given[] = { "小明", "华", "娜娜", "伟", "芳", "子涵", "浩然", "一诺", "梓萱", "宇轩" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new ("教育ID,姓名,性别,年级,班级,来源\r\n");
  g_autofree char *photo_source = NULL;
  g_autofree char *jpeg = NULL;
  g_autofree char *gbk = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *photos = NULL;
  g_autofree char *list = NULL;
  double times[N_ROUNDS];
  gsize jpeg_length = 0, gbk_length = 0;

  photo_source = g_build_filename (CO_BENCH_DATADIR, "photo-260x320.jpg", NULL);
  if (!g_file_get_contents (photo_source, &jpeg, &jpeg_length, &error))
    g_error ("%s", error->message);

  dir = g_dir_make_tmp ("bench-import-XXXXXX", &error);
  g_assert_no_error (error);
  photos = g_build_filename (dir, "photos", NULL);
  g_mkdir (photos, 0700);

  for (guint i = 0; i < N_ROWS; i++)
    {
      g_autofree char *photo = NULL;
      char id[16];
      int grade = i % 5 == 4 ? 3 : 1;

      g_snprintf (id, sizeof id, "%08u", 11000000 + i);
      g_string_append_printf (csv, "%s%s,%s%s,%s,%d,%d年级%u班,%s\r\n",
                              i % 7 == 0 ? " " : "", id,
                              surnames[i % G_N_ELEMENTS (surnames)], given[(i / 11) % G_N_ELEMENTS (given)],
                              i % 2 ? "女" : "男", grade, grade, i % 8 + 1,
                              i % 10 == 3 ? "外省转入" : "新入学");
      photo = g_strdup_printf ("%s/%s.jpg", photos, id);
      if (!g_file_set_contents (photo, jpeg, jpeg_length, &error))
        g_error ("%s", error->message);
    }
  gbk = g_convert (csv->str, csv->len, "GBK", "UTF-8", NULL, &gbk_length, &error);
  g_assert_no_error (error);
  list = g_build_filename (dir, "list.csv", NULL);
  if (!g_file_set_contents (list, gbk, gbk_length, &error))
    g_error ("%s", error->message);

  for (guint r = 0; r < N_ROUNDS; r++)
    {
      g_autoptr(CoImport) import = co_import_new (CO_IMPORT_KIND_NEW_CARD);
      gint64 t0 = g_get_monotonic_time ();

      co_import_set_photo_dir (import, photos);
      if (!co_import_load_file (import, list, &error))
        g_error ("%s", error->message);
      times[r] = (g_get_monotonic_time () - t0) / 1000.0;

      /* Grade 3 new entrants (one row in 5) are refused; the rest go. */
      if (co_import_get_n_rows (import) != N_ROWS ||
          co_import_count (import, CO_IMPORT_VERDICT_OK) != N_ROWS - N_ROWS / 5 ||
          g_strcmp0 (co_import_get_encoding_name (import), "gb18030") != 0)
        g_error ("unexpected result: %u rows, %u ok", co_import_get_n_rows (import),
                 co_import_count (import, CO_IMPORT_VERDICT_OK));
    }
  qsort (times, N_ROUNDS, sizeof times[0], compare_double);
  g_print ("BENCH import.rows_5000 %.1f ms\n", times[N_ROUNDS / 2]);

  {
    double submit_ms = bench_submit (dir);

    if (submit_ms >= 0)
      g_print ("BENCH import.submit_500 %.1f ms\n", submit_ms);
    else
      g_printerr ("bench-import: card-office-server not found (set CO_TEST_SERVER): no import.submit_500\n");
  }

  remove_tree (dir);
  return times[N_ROUNDS / 2] <= 1000.0 ? 0 : 1;
}
