/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * card-office-batch stickers | forms | calibration: the print core without
 * a window. The CSV columns are found by their Chinese or English names;
 * photo paths are relative to the CSV file. Problems with single rows
 * (a short row, a photo that cannot be used) never stop the batch: they are
 * listed at the end, naming each student, and the exit status is 1.
 * Exit status: 0 written, 1 written with warnings, 2 nothing written.
 */
#define G_LOG_DOMAIN "co-batch"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "co-batch-print.h"
#include "co-csv.h"
#include "co-print.h"
#include "co-print-data.h"

typedef struct
{
  CoCsv *csv;
  char  *dir;
  int    columns[CO_PRINT_N_COLUMNS];
} Table;

static void
table_clear (Table *table)
{
  g_clear_object (&table->csv);
  g_clear_pointer (&table->dir, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Table, table_clear)

static gboolean
open_table (const char *path,
            Table      *table)
{
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    {
      g_printerr (_("Give the student list with --csv FILE.\n"));
      return FALSE;
    }
  if (!(table->csv = co_csv_new_from_file (path, &error)))
    {
      /* Translators: %s is the file's path, then the reason. */
      g_printerr (_("Cannot read “%s”: %s\n"), path, error->message);
      if (g_error_matches (error, CO_CSV_ERROR, CO_CSV_ERROR_BINARY))
        g_printerr (_("Save the sheet from the spreadsheet program as CSV (comma or tab separated) first.\n"));
      return FALSE;
    }
  table->dir = g_path_get_dirname (path);
  co_print_data_find_columns (table->csv, table->columns);
  return TRUE;
}

static gboolean
require_columns (Table        *table,
                 const CoPrintColumn *required,
                 guint         n_required)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < n_required; i++)
    if (table->columns[required[i]] < 0)
      {
        /* Translators: %s is a column name such as 姓名. */
        g_printerr (_("The CSV file has no column “%s”.\n"), co_print_data_column_title (required[i]));
        ok = FALSE;
      }
  return ok;
}

/* The field, trimmed, or NULL when empty. */
static char *
field (Table         *table,
       guint          row,
       CoPrintColumn  column)
{
  return co_print_data_field (table->csv, table->columns, row, column);
}

static void
print_row_problem (Table        *table,
                   guint         row,
                   const GError *error)
{
  g_autofree char *name = field (table, row, CO_PRINT_COLUMN_NAME);
  g_autofree char *edu_id = field (table, row, CO_PRINT_COLUMN_EDU_ID);

  if (g_error_matches (error, CO_CSV_ERROR, CO_CSV_ERROR_SHORT_ROW) ||
      g_error_matches (error, CO_CSV_ERROR, CO_CSV_ERROR_LONG_ROW))
    /* Translators: line number, student name, education ID, then counts of fields. */
    g_printerr (_("  line %u: %s (%s): %u fields where the header has %u\n"),
                co_csv_get_row_line (table->csv, row), name ? name : "?", edu_id ? edu_id : "?",
                co_csv_get_row_n_fields (table->csv, row), co_csv_get_n_columns (table->csv));
  else
    g_printerr ("  %s\n", error->message);
}

static void
print_photo_warnings (GPtrArray *warnings)
{
  if (warnings == NULL || warnings->len == 0)
    return;
  /* Translators: %u is a number of students. */
  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "A placeholder was printed instead of the photo of %u student:\n",
                           "A placeholder was printed instead of the photos of %u students:\n",
                           warnings->len), warnings->len);
  for (guint i = 0; i < warnings->len; i++)
    {
      CoPrintWarning *w = g_ptr_array_index (warnings, i);

      /* Translators: name, education ID, the problem, the photo's path. */
      g_printerr (_("  %s (education ID %s): %s (%s)\n"),
                  w->name ? w->name : "?", w->edu_id ? w->edu_id : "?",
                  co_print_data_describe_problem (w->code), w->photo_path ? w->photo_path : "-");
    }
}

static gboolean
check_options (const CoPrintOptions *options,
               const char           *output)
{
  if (output == NULL)
    {
      g_printerr (_("Give the PDF file to write with -o FILE.\n"));
      return FALSE;
    }
  if (ABS (options->offset_x_mm) > 20 || ABS (options->offset_y_mm) > 20)
    {
      g_printerr (_("An offset of more than 20 mm is not a printer’s error: check the sheet and the template.\n"));
      return FALSE;
    }
  return TRUE;
}

static void
report_failure (const char   *output,
                const GError *error)
{
  /* Translators: %s is the PDF's path, then the reason. */
  g_printerr (_("“%s” was not written: %s\n"), output, error->message);
}

int
co_batch_stickers (int    argc,
                   char **argv)
{
  g_autofree char *csv_path = NULL;
  g_autofree char *template_name = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoTemplate) template_ = NULL;
  g_autoptr(GPtrArray) stickers = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_auto(Table) table = { 0 };
  CoPrintOptions options = { 0 };
  CoPrintCaptions captions;
  CoPrintStats stats;
  int start_at = 1;
  guint skipped = 0, short_rows = 0;
  gboolean list = FALSE;
  static const CoPrintColumn required[] = { CO_PRINT_COLUMN_NAME, CO_PRINT_COLUMN_EDU_ID, CO_PRINT_COLUMN_CARD_NO };
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path, N_("The students, one per row"), N_("FILE") },
    { "template", 't', 0, G_OPTION_ARG_STRING, &template_name,
      N_("Sheet template (default a4-2x5-card)"), N_("NAME") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The PDF file to write"), N_("FILE") },
    { "offset-x", 0, 0, G_OPTION_ARG_DOUBLE, &options.offset_x_mm,
      N_("Move everything right by this much (negative: left)"), N_("MM") },
    { "offset-y", 0, 0, G_OPTION_ARG_DOUBLE, &options.offset_y_mm,
      N_("Move everything down by this much (negative: up)"), N_("MM") },
    { "start-at", 0, 0, G_OPTION_ARG_INT, &start_at,
      N_("First free label of a partly used sheet, counted row by row from 1"), N_("N") },
    { "outlines", 0, 0, G_OPTION_ARG_NONE, &options.outlines, N_("Draw the outline of each label"), NULL },
    { "list-templates", 0, 0, G_OPTION_ARG_NONE, &list, N_("List the sheet templates and exit"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Print card stickers (卡贴) for the students of a CSV file."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (list)
    {
      g_auto(GStrv) names = co_template_list_names ();

      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autoptr(CoTemplate) t = co_template_new_for_name (names[i], NULL);

          g_print ("%s\t%s\n", names[i], t ? co_template_get_description (t) : _("(unreadable)"));
        }
      return 0;
    }

  if (!check_options (&options, output))
    return 2;
  if (start_at < 1)
    {
      g_printerr (_("Labels are counted from 1.\n"));
      return 2;
    }
  options.start_at = start_at;

  if (!(template_ = co_template_new_for_name (template_name ? template_name : "a4-2x5-card", &error)))
    {
      /* Translators: %s is the reason. */
      g_printerr (_("Cannot use the sheet template: %s\n"), error->message);
      return 2;
    }
  if (options.start_at > co_template_get_n_cells (template_))
    {
      /* Translators: %u is the number of labels on one sheet. */
      g_printerr (_("The sheet has only %u labels.\n"), co_template_get_n_cells (template_));
      return 2;
    }

  if (!open_table (csv_path, &table) || !require_columns (&table, required, G_N_ELEMENTS (required)))
    return 2;

  stickers = g_ptr_array_new_with_free_func ((GDestroyNotify) co_sticker_data_free);
  for (guint row = 0; row < co_csv_get_n_rows (table.csv); row++)
    {
      CoStickerData *data;
      g_autoptr(GError) row_error = NULL;

      if (!co_csv_check_row (table.csv, row, &row_error))
        {
          if (short_rows++ == 0)
            g_printerr (_("Rows whose number of fields differs from the header (printed with what they hold):\n"));
          print_row_problem (&table, row, row_error);
        }

      data = co_print_data_sticker_from_row (table.csv, table.columns, row, table.dir);
      if (data == NULL)
        {
          /* Translators: %u is a line of the CSV file. */
          g_printerr (_("Line %u is skipped: a sticker needs a name, an education ID and a transit card number.\n"),
                      co_csv_get_row_line (table.csv, row));
          skipped++;
          continue;
        }
      g_ptr_array_add (stickers, data);
    }

  if (stickers->len == 0)
    {
      g_printerr (_("The CSV file holds no student to print.\n"));
      return 2;
    }

  co_print_data_fill_captions (&captions);
  if (!co_print_stickers (template_, stickers, &options, &captions, output,
                          NULL, NULL, NULL, &stats, &warnings, &error))
    {
      report_failure (output, error);
      return 2;
    }

  g_print ("output=%s template=%s encoding=%s stickers=%u pages=%u photos=%u placeholders=%u skipped=%u\n",
           output, co_template_get_name (template_),
           co_csv_encoding_to_string (co_csv_get_encoding (table.csv)),
           stats.n_items, stats.n_pages, stats.n_photos, warnings->len, skipped);
  if (stats.n_unknown_glyphs > 0)
    g_printerr (_("Some characters have no font on this computer and print as boxes: install fonts-noto-cjk.\n"));
  print_photo_warnings (warnings);
  return (warnings->len > 0 || skipped > 0 || short_rows > 0 || stats.n_unknown_glyphs > 0) ? 1 : 0;
}

int
co_batch_forms (int    argc,
                char **argv)
{
  g_autofree char *csv_path = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_auto(Table) table = { 0 };
  CoPrintOptions options = { 0 };
  CoPrintCaptions captions;
  CoPrintStats stats;
  gboolean handout = FALSE;
  guint short_rows = 0;
  gboolean ok;
  static const CoPrintColumn required[] = { CO_PRINT_COLUMN_NAME };
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path, N_("The students, one per row"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The PDF file to write"), N_("FILE") },
    { "handout", 0, 0, G_OPTION_ARG_NONE, &handout,
      N_("Print handout lists, one per class, instead of reissue forms"), NULL },
    { "offset-x", 0, 0, G_OPTION_ARG_DOUBLE, &options.offset_x_mm,
      N_("Move everything right by this much (negative: left)"), N_("MM") },
    { "offset-y", 0, 0, G_OPTION_ARG_DOUBLE, &options.offset_y_mm,
      N_("Move everything down by this much (negative: up)"), N_("MM") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Print one reissue application form (补卡申请表) per row of a CSV file, "
                                  "or with --handout a signature list per class."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!check_options (&options, output))
    return 2;
  if (!open_table (csv_path, &table) || !require_columns (&table, required, G_N_ELEMENTS (required)))
    return 2;

  items = g_ptr_array_new_with_free_func (handout ? (GDestroyNotify) co_sticker_data_free
                                                  : (GDestroyNotify) co_form_data_free);
  for (guint row = 0; row < co_csv_get_n_rows (table.csv); row++)
    {
      g_autoptr(GError) row_error = NULL;

      if (!co_csv_check_row (table.csv, row, &row_error))
        {
          if (short_rows++ == 0)
            g_printerr (_("Rows whose number of fields differs from the header (printed with what they hold):\n"));
          print_row_problem (&table, row, row_error);
        }
      if (handout)
        {
          CoStickerData *data = co_sticker_data_new ();

          data->name = field (&table, row, CO_PRINT_COLUMN_NAME);
          data->edu_id = field (&table, row, CO_PRINT_COLUMN_EDU_ID);
          data->card_no = field (&table, row, CO_PRINT_COLUMN_CARD_NO);
          data->school = field (&table, row, CO_PRINT_COLUMN_SCHOOL);
          data->class_name = field (&table, row, CO_PRINT_COLUMN_CLASS);
          g_ptr_array_add (items, data);
        }
      else
        {
          CoFormData *data = co_print_data_form_from_row (table.csv, table.columns, row);

          g_ptr_array_add (items, data);
        }
    }
  if (items->len == 0)
    {
      g_printerr (_("The CSV file holds no student to print.\n"));
      return 2;
    }

  co_print_data_fill_captions (&captions);
  if (handout)
    ok = co_print_handout_list (items, &options, &captions, output, NULL, NULL, NULL, &stats, &error);
  else
    ok = co_print_forms (items, &options, &captions, output, NULL, NULL, NULL, &stats, &error);
  if (!ok)
    {
      report_failure (output, error);
      return 2;
    }

  g_print ("output=%s kind=%s encoding=%s items=%u pages=%u\n",
           output, handout ? "handout" : "reissue-form",
           co_csv_encoding_to_string (co_csv_get_encoding (table.csv)),
           stats.n_items, stats.n_pages);
  if (stats.n_unknown_glyphs > 0)
    g_printerr (_("Some characters have no font on this computer and print as boxes: install fonts-noto-cjk.\n"));
  return (short_rows > 0 || stats.n_unknown_glyphs > 0) ? 1 : 0;
}

int
co_batch_calibration (int    argc,
                      char **argv)
{
  g_autofree char *template_name = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoTemplate) template_ = NULL;
  CoPrintOptions options = { 0 };
  CoPrintCaptions captions;
  GOptionEntry entries[] = {
    { "template", 't', 0, G_OPTION_ARG_STRING, &template_name,
      N_("Sheet template whose labels to mark (default a4-2x5-card)"), N_("NAME") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The PDF file to write"), N_("FILE") },
    { "offset-x", 0, 0, G_OPTION_ARG_DOUBLE, &options.offset_x_mm,
      N_("The printer’s horizontal offset, to check it"), N_("MM") },
    { "offset-y", 0, 0, G_OPTION_ARG_DOUBLE, &options.offset_y_mm,
      N_("The printer’s vertical offset, to check it"), N_("MM") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Print a page with rulers and crosshairs to measure how far a printer "
                                  "shifts what it prints."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!check_options (&options, output))
    return 2;
  if (!(template_ = co_template_new_for_name (template_name ? template_name : "a4-2x5-card", &error)))
    {
      g_printerr (_("Cannot use the sheet template: %s\n"), error->message);
      return 2;
    }

  co_print_data_fill_captions (&captions);
  if (!co_print_calibration_page (template_, &options, &captions, output, &error))
    {
      report_failure (output, error);
      return 2;
    }
  g_print ("output=%s template=%s pages=1\n", output, co_template_get_name (template_));
  return 0;
}
