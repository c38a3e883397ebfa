/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * card-office-batch submit --kind new-card|sticker --csv FILE [--photos DIR]
 *   --server URL --user NAME --password-file FILE --journal PATH
 *   [--chunk-size N] [--report-csv FILE] [--report-xlsx FILE]
 *
 * The list is checked as check-import does; refused rows are not sent. The
 * rest go in chunks through the journal: run the same command again after
 * a crash, a cancel (Ctrl+C, SIGTERM) or a lost network and it resumes where
 * it stopped, sending no row twice (an existing journal is resumed, the
 * list is not read again).
 *
 * Output, one line each, key=value:
 *   prepared rows=N chunks=N skipped=N      (or: resumed rows=N chunks_done=N chunks=N)
 *   progress done=N total=N chunks_done=N chunks=N   (after each answer)
 *   row line=N edu_id=ID result=accepted|refused|pending code=CODE photo=STATE
 *   summary rows=N accepted=N refused=N pending=N photos_sent=N photos_failed=N complete=yes|no
 * Exit status: 0 complete, 1 stopped (run again to resume), 2 nothing sent
 * (bad options, unreadable list or journal, sign-in refused).
 */
#define G_LOG_DOMAIN "co-batch"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "co-batch-export.h"
#include "co-batch-import.h"
#include "co-batch-job.h"
#include "co-batch-submit.h"
#include "co-batch-result-text.h"
#include "co-client.h"
#include "co-import.h"

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

static void
on_progress_cb (CoBatchJob *job,
                guint       done,
                guint       total,
                gpointer    user_data)
{
  g_print ("progress done=%u total=%u chunks_done=%u chunks=%u\n", done, total,
           co_batch_job_get_n_chunks_done (job), co_batch_job_get_n_chunks (job));
  fflush (stdout);
}

static char *
read_password (const char  *path,
               GError     **error)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  g_strchomp (text);
  return g_steal_pointer (&text);
}

static const char *
row_state_code (CoBatchRowState state)
{
  return state == CO_BATCH_ROW_ACCEPTED ? "accepted"
       : state == CO_BATCH_ROW_REFUSED ? "refused" : "pending";
}

static const char *
photo_state_code (CoBatchPhotoState state)
{
  switch (state)
    {
    case CO_BATCH_PHOTO_PENDING: return "pending";
    case CO_BATCH_PHOTO_SENT: return "sent";
    case CO_BATCH_PHOTO_FAILED: return "failed";
    case CO_BATCH_PHOTO_NONE:
    default: return "none";
    }
}

static int
prepare (CoBatchJob  *job,
         CoImportKind kind,
         const char  *csv_path,
         const char  *photo_dir,
         guint        chunk_size)
{
  g_autoptr(CoImport) import = co_import_new (kind);
  g_autoptr(GError) error = NULL;
  CoImportField missing[CO_IMPORT_N_FIELDS];
  guint refused;

  co_import_set_photo_dir (import, photo_dir);
  if (!co_import_load_file (import, csv_path, &error))
    {
      /* Translators: %s is the list's path, then why it cannot be read. */
      g_printerr (_("The list “%s” cannot be read: %s\n"), csv_path, error->message);
      return 2;
    }
  if (co_import_get_missing_fields (import, missing) > 0)
    {
      g_printerr (_("The list lacks required columns; run check-import to see which.\n"));
      return 2;
    }

  refused = co_import_count (import, CO_IMPORT_VERDICT_REFUSED);
  if (!co_batch_job_prepare_from_import (job, import, NULL, 0, chunk_size, &error))
    {
      if (g_error_matches (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_NO_ROWS))
        g_printerr (_("No row of the list can be sent; run check-import to see why.\n"));
      else
        /* Translators: %s is the journal's message. */
        g_printerr (_("The submission cannot be prepared: %s\n"), error->message);
      return 2;
    }

  g_print ("prepared rows=%u chunks=%u skipped=%u\n", co_batch_job_get_n_rows (job),
           co_batch_job_get_n_chunks (job), refused);
  if (refused > 0)
    g_printerr (ngettext ("%u refused row of the list is not sent; run check-import to see why.\n",
                          "%u refused rows of the list are not sent; run check-import to see why.\n",
                          refused), refused);
  return 0;
}

int
co_batch_submit (int    argc,
                 char **argv)
{
  g_autofree char *kind_text = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *photo_dir = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *journal_path = NULL;
  g_autofree char *report_csv = NULL;
  g_autofree char *report_xlsx = NULL;
  g_autofree char *password = NULL;
  int chunk_size = 0;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoBatchJob) job = NULL;
  g_autoptr(CoClient) client = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text,
      N_("What the list reports: new-card or sticker"), N_("KIND") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path,
      N_("The list, CSV or TSV, UTF-8 or GBK"), N_("FILE") },
    { "photos", 0, 0, G_OPTION_ARG_FILENAME, &photo_dir,
      N_("Folder of photos named with the education ID"), N_("DIR") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("The central platform’s address"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Sign in as this user"), N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the password from this file"), N_("FILE") },
    { "journal", 0, 0, G_OPTION_ARG_FILENAME, &journal_path,
      N_("The submission’s journal: give the same file again to resume"), N_("FILE") },
    { "chunk-size", 0, 0, G_OPTION_ARG_INT, &chunk_size,
      N_("Rows per request (default 50)"), N_("N") },
    { "report-csv", 0, 0, G_OPTION_ARG_FILENAME, &report_csv,
      N_("Write the report per row as CSV"), N_("FILE") },
    { "report-xlsx", 0, 0, G_OPTION_ARG_FILENAME, &report_xlsx,
      N_("Write the report per row as an Excel workbook"), N_("FILE") },
    { NULL }
  };
  CoImportKind kind;
  CoBatchKind batch_kind;
  CoBatchExportText text;
  Wait wait = { NULL };
  guint sigint_id, sigterm_id;
  gboolean ok;
  int status;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Submit a new-card or sticker list to the server, resumably."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!co_batch_parse_kind (kind_text, &kind))
    return 2;
  batch_kind = kind == CO_IMPORT_KIND_STICKER ? CO_BATCH_KIND_STICKER : CO_BATCH_KIND_NEW_CARD;
  if (server == NULL || user == NULL || password_file == NULL || journal_path == NULL)
    {
      g_printerr (_("Give --server URL, --user NAME, --password-file FILE and --journal FILE.\n"));
      return 2;
    }
  if (chunk_size < 0 || chunk_size > CO_BATCH_JOB_MAX_CHUNK_SIZE)
    {
      /* Translators: %d is the largest chunk the server takes. */
      g_printerr (_("The chunk size must be between 1 and %d.\n"), CO_BATCH_JOB_MAX_CHUNK_SIZE);
      return 2;
    }
  if (photo_dir != NULL && !g_file_test (photo_dir, G_FILE_TEST_IS_DIR))
    {
      /* Translators: %s is the folder given with --photos. */
      g_printerr (_("The photo folder “%s” does not exist.\n"), photo_dir);
      return 2;
    }
  if (!(password = read_password (password_file, &error)))
    {
      /* Translators: %s is the reason. */
      g_printerr (_("The password file cannot be read: %s\n"), error->message);
      return 2;
    }

  if (!(job = co_batch_job_open (journal_path, &error)))
    {
      /* Translators: %s is the reason. */
      g_printerr (_("The journal cannot be opened: %s\n"), error->message);
      return 2;
    }
  if (co_batch_job_is_prepared (job))
    {
      if (co_batch_job_get_kind (job) != batch_kind)
        {
          g_printerr (_("The journal belongs to a submission of the other kind.\n"));
          return 2;
        }
      g_print ("resumed rows=%u chunks_done=%u chunks=%u\n", co_batch_job_get_n_rows (job),
               co_batch_job_get_n_chunks_done (job), co_batch_job_get_n_chunks (job));
    }
  else
    {
      if (csv_path == NULL)
        {
          g_printerr (_("Give the list to submit as --csv FILE.\n"));
          return 2;
        }
      if ((status = prepare (job, kind, csv_path, photo_dir, chunk_size)) != 0)
        return status;
    }
  fflush (stdout);

  client = co_client_new (server);
  co_client_sign_in_async (client, user, password, NULL, wait_cb, &wait);
  ok = co_client_sign_in_finish (client, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  if (!ok)
    {
      /* Translators: %s is the server's message. */
      g_printerr (_("Signing in failed: %s\n"), error->message);
      return 2;
    }

  cancellable = g_cancellable_new ();
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, cancellable);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, cancellable);
  g_signal_connect (job, "progress", G_CALLBACK (on_progress_cb), NULL);

  co_batch_job_run_async (job, client, cancellable, wait_cb, &wait);
  ok = co_batch_job_run_finish (job, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  for (guint i = 0; i < co_batch_job_get_n_rows (job); i++)
    {
      const CoBatchJobRow *row = co_batch_job_get_row (job, i);

      g_print ("row line=%u edu_id=%s result=%s code=%s photo=%s\n", row->line, row->edu_id,
               row_state_code (row->state), row->code ? row->code : "none",
               photo_state_code (row->photo));
    }
  g_print ("summary rows=%u accepted=%u refused=%u pending=%u photos_sent=%u photos_failed=%u complete=%s\n",
           co_batch_job_get_n_rows (job),
           co_batch_job_count (job, CO_BATCH_ROW_ACCEPTED),
           co_batch_job_count (job, CO_BATCH_ROW_REFUSED),
           co_batch_job_count (job, CO_BATCH_ROW_PENDING),
           co_batch_job_count_photos (job, CO_BATCH_PHOTO_SENT),
           co_batch_job_count_photos (job, CO_BATCH_PHOTO_FAILED),
           co_batch_job_is_complete (job) ? "yes" : "no");

  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr (_("Stopped. Run the same command again to resume.\n"));
      else
        /* Translators: %s is the reason. */
        g_printerr (_("Stopped: %s. Run the same command again to resume.\n"), error->message);
    }

  co_batch_export_text_init (&text);
  if (report_csv != NULL && !co_batch_export_csv (job, &text, report_csv, &error))
    {
      /* Translators: %s is the reason. */
      g_printerr (_("The report cannot be written: %s\n"), error->message);
      return 2;
    }
  if (report_xlsx != NULL && !co_batch_export_xlsx (job, &text, NULL, report_xlsx, &error))
    {
      /* Translators: %s is the reason. */
      g_printerr (_("The report cannot be written: %s\n"), error->message);
      return 2;
    }

  return ok && co_batch_job_is_complete (job) ? 0 : 1;
}
