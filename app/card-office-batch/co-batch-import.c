/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * card-office-batch check-import --kind new-card|sticker --csv FILE
 *   [--photos DIR] [--server URL --user NAME]
 *
 * One line per row:
 *   line=N edu_id=ID verdict=ok|warning|refused code=CODE message=TEXT
 * then one summary line. CODE is the problem's stable name, with the field,
 * the photo problem or the rule's reason after a colon. With --server and
 * --user (password from CARD_OFFICE_PASSWORD, never an argument) each
 * student is also looked up in the school's roster.
 * Exit status: 0 every row can go, 1 some row is refused, 2 nothing checked
 * (bad options, unreadable file, required columns missing, server refused).
 */
#define G_LOG_DOMAIN "co-batch"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "co-batch-import.h"
#include "co-batch-text.h"
#include "co-client.h"
#include "co-csv.h"
#include "co-import.h"
#include "co-student.h"
#include "co-types.h"
#include "co-enum-types.h"

static char *
issue_to_code (const CoImportIssue *issue)
{
  const char *code = co_import_problem_to_string (issue->problem);

  switch (issue->problem)
    {
    case CO_IMPORT_PROBLEM_MISSING_FIELD:
      return g_strconcat (code, ":", co_import_field_to_string (issue->field), NULL);
    case CO_IMPORT_PROBLEM_PHOTO_BAD:
      return g_strconcat (code, ":", co_import_photo_problem_to_string (issue->photo), NULL);
    case CO_IMPORT_PROBLEM_INELIGIBLE:
      return g_strconcat (code, ":", co_enum_to_wire (CO_TYPE_REASON, issue->reason), NULL);
    default:
      return g_strdup (code);
    }
}

/* One line, whatever the file holds. */
static char *
one_line (const char *text)
{
  char *copy = g_strdup (text ? text : "");

  g_strdelimit (copy, "\r\n\t ", '_');
  return copy;
}

/* The roster, from the server */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static GHashTable *
fetch_roster (const char  *server,
              const char  *user,
              const char  *password,
              GError     **error)
{
  g_autoptr(CoClient) client = co_client_new (server);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GHashTable) roster = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_autofree char *cursor = NULL;
  CoStudentQuery query = CO_STUDENT_QUERY_INIT;
  Wait wait = { loop, NULL };

  co_client_sign_in_async (client, user, password, NULL, wait_cb, &wait);
  if (!co_client_sign_in_finish (client, wait_for (&wait), error))
    {
      g_clear_object (&wait.result);
      return NULL;
    }
  g_clear_object (&wait.result);

  do
    {
      g_autoptr(GListModel) page = NULL;
      g_autofree char *next = NULL;

      co_client_list_students_async (client, &query, cursor, 500, NULL, wait_cb, &wait);
      page = co_client_list_students_finish (client, wait_for (&wait), &next, error);
      g_clear_object (&wait.result);
      if (page == NULL)
        return NULL;
      for (guint i = 0; i < g_list_model_get_n_items (page); i++)
        {
          CoStudent *student = g_list_model_get_item (page, i);

          g_hash_table_replace (roster, (gpointer) co_student_get_edu_id (student), student);
        }
      g_free (cursor);
      cursor = g_steal_pointer (&next);
    }
  while (cursor != NULL);

  return g_steal_pointer (&roster);
}

static gboolean
roster_lookup (const char *edu_id,
               char      **name,
               gboolean   *reissued_in_stage,
               gpointer    user_data)
{
  CoStudent *student = g_hash_table_lookup (user_data, edu_id);

  if (student == NULL)
    return FALSE;
  *name = g_strdup (co_student_get_name (student));
  *reissued_in_stage = FALSE; /* not in the roster: the batch endpoint decides */
  return TRUE;
}

static int
file_error (const char   *path,
            const GError *error)
{
  const char *text = co_batch_file_error_to_text (error);

  /* Translators: %s is the file's path, then what is wrong with it. */
  g_printerr (_("Cannot check “%s”: %s\n"), path, text);
  return 2;
}

gboolean
co_batch_parse_kind (const char   *text,
                     CoImportKind *kind)
{
  if (g_strcmp0 (text, "new-card") == 0)
    *kind = CO_IMPORT_KIND_NEW_CARD;
  else if (g_strcmp0 (text, "sticker") == 0)
    *kind = CO_IMPORT_KIND_STICKER;
  else
    {
      g_printerr (_("Give the kind of list as --kind new-card or --kind sticker.\n"));
      return FALSE;
    }
  return TRUE;
}

int
co_batch_check_import (int    argc,
                       char **argv)
{
  g_autofree char *kind_text = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *photo_dir = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoImport) import = NULL;
  g_autoptr(GHashTable) roster = NULL;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text,
      N_("What the list reports: new-card or sticker"), N_("KIND") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path,
      N_("The list, CSV or TSV, UTF-8 or GBK"), N_("FILE") },
    { "photos", 0, 0, G_OPTION_ARG_FILENAME, &photo_dir,
      N_("Folder of photos named with the education ID"), N_("DIR") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("Also check each student against this server’s roster"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Sign in as this user (password from CARD_OFFICE_PASSWORD)"), N_("NAME") },
    { NULL }
  };
  CoImportField missing[CO_IMPORT_N_FIELDS];
  CoImportKind kind;
  guint n_missing;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Check a new-card or sticker list and its photos, one line per row."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!co_batch_parse_kind (kind_text, &kind))
    return 2;
  if (csv_path == NULL)
    {
      g_printerr (_("Give the list to check as --csv FILE.\n"));
      return 2;
    }
  if (photo_dir != NULL && !g_file_test (photo_dir, G_FILE_TEST_IS_DIR))
    {
      /* Translators: %s is the folder given with --photos. */
      g_printerr (_("The photo folder “%s” does not exist.\n"), photo_dir);
      return 2;
    }
  if (server != NULL)
    {
      const char *password = g_getenv ("CARD_OFFICE_PASSWORD");

      if (user == NULL || password == NULL)
        {
          g_printerr (_("To check against the roster, give --user NAME and set the password in CARD_OFFICE_PASSWORD.\n"));
          return 2;
        }
      if (!(roster = fetch_roster (server, user, password, &error)))
        {
          /* Translators: %s is the server's message. */
          g_printerr (_("The roster cannot be fetched: %s\n"), error->message);
          return 2;
        }
    }

  import = co_import_new (kind);
  co_import_set_photo_dir (import, photo_dir);
  if (!co_import_load_file (import, csv_path, &error))
    return file_error (csv_path, error);

  if ((n_missing = co_import_get_missing_fields (import, missing)) > 0)
    {
      g_autoptr(GString) headers = g_string_new (NULL);

      for (guint c = 0; c < co_import_get_n_columns (import); c++)
        g_string_append_printf (headers, "%s“%s”", c ? ", " : "", co_import_get_header (import, c));
      for (guint i = 0; i < n_missing; i++)
        /* Translators: %s is a column, such as “Class”. */
        g_printerr (_("No column for %s.\n"), co_batch_field_to_text (missing[i]));
      /* Translators: %s lists the file's column headers. */
      g_printerr (_("The file’s columns are: %s\n"), headers->str);
      return 2;
    }

  if (roster != NULL)
    co_import_check_roster (import, roster_lookup, roster);

  for (guint i = 0; i < co_import_get_n_rows (import); i++)
    {
      const CoImportRow *row = co_import_get_row (import, i);
      g_autofree char *edu_id = one_line (row->values[CO_IMPORT_FIELD_EDU_ID]);
      g_autofree char *code = NULL;
      g_autoptr(GString) message = g_string_new (NULL);
      const char *verdict = row->verdict == CO_IMPORT_VERDICT_REFUSED ? "refused"
                          : row->verdict == CO_IMPORT_VERDICT_WARNING ? "warning" : "ok";

      code = row->issues->len > 0
        ? issue_to_code (&g_array_index (row->issues, CoImportIssue, 0)) : g_strdup ("none");
      for (guint k = 0; k < row->issues->len; k++)
        {
          g_autofree char *text = co_batch_issue_to_text (&g_array_index (row->issues, CoImportIssue, k), row);

          if (k > 0)
            g_string_append_c (message, ' ');
          g_string_append (message, text);
        }
      g_strdelimit (message->str, "\r\n", ' ');
      g_print ("line=%u edu_id=%s verdict=%s code=%s message=%s\n",
               row->line, edu_id, verdict, code, message->str);
    }

  g_print ("rows=%u ok=%u warning=%u refused=%u encoding=%s photos=%s roster=%s\n",
           co_import_get_n_rows (import),
           co_import_count (import, CO_IMPORT_VERDICT_OK),
           co_import_count (import, CO_IMPORT_VERDICT_WARNING),
           co_import_count (import, CO_IMPORT_VERDICT_REFUSED),
           co_import_get_encoding_name (import),
           photo_dir != NULL || co_import_get_column (import, CO_IMPORT_FIELD_PHOTO) >= 0 ? "checked" : "unchecked",
           roster != NULL ? "checked" : "unchecked");

  return co_import_count (import, CO_IMPORT_VERDICT_REFUSED) > 0 ? 1 : 0;
}
