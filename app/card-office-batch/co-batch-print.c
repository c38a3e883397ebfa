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

/* The fixed reissue fee (补卡工本费), in fen, printed when the CSV has none. */
#define DEFAULT_FEE_FEN 1500

typedef enum
{
  COL_EDU_ID,
  COL_NAME,
  COL_GENDER,
  COL_SCHOOL,
  COL_STAGE,
  COL_VALIDITY,
  COL_CARD_NO,
  COL_BJT_NO,
  COL_PHOTO,
  COL_CLASS,
  COL_APPLICATION_NO,
  COL_REASON,
  COL_DELIVERY,
  COL_ADDRESS,
  COL_RECIPIENT,
  COL_PHONE,
  COL_FEE,
  COL_DATE,
  N_COLS
} Column;

static const char * const column_names[N_COLS][6] = {
  [COL_EDU_ID] = { "教育ID", "edu_id", "education_id", "教育号", NULL },
  [COL_NAME] = { "姓名", "name", "学生姓名", NULL },
  [COL_GENDER] = { "性别", "gender", "sex", NULL },
  [COL_SCHOOL] = { "学校", "school", "学校名称", NULL },
  [COL_STAGE] = { "学段", "stage", NULL },
  [COL_VALIDITY] = { "有效期", "validity", "valid_until", NULL },
  [COL_CARD_NO] = { "一卡通号", "card_no", "transit_card_no", "一卡通卡号", NULL },
  [COL_BJT_NO] = { "北京通号", "bjt_no", "beijing_tong_no", NULL },
  [COL_PHOTO] = { "照片", "photo", "photo_path", "照片路径", NULL },
  [COL_CLASS] = { "班级", "class", "class_name", NULL },
  [COL_APPLICATION_NO] = { "申请编号", "application_no", "reissue_id", "申请号", NULL },
  [COL_REASON] = { "补卡原因", "reason", "原因", NULL },
  [COL_DELIVERY] = { "配送方式", "delivery", NULL },
  [COL_ADDRESS] = { "收件地址", "address", "地址", NULL },
  [COL_RECIPIENT] = { "收件人", "recipient", NULL },
  [COL_PHONE] = { "联系电话", "phone", "电话", NULL },
  [COL_FEE] = { "补卡工本费", "fee", "费用", NULL },
  [COL_DATE] = { "申请日期", "date", "日期", NULL },
};

typedef struct
{
  CoCsv *csv;
  char  *dir;
  int    columns[N_COLS];
} Table;

static void
table_clear (Table *table)
{
  g_clear_object (&table->csv);
  g_clear_pointer (&table->dir, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Table, table_clear)

static const char *
column_title (Column column)
{
  return column_names[column][0];
}

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
  for (guint c = 0; c < N_COLS; c++)
    table->columns[c] = co_csv_find_column (table->csv, column_names[c]);
  return TRUE;
}

static gboolean
require_columns (Table        *table,
                 const Column *required,
                 guint         n_required)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < n_required; i++)
    if (table->columns[required[i]] < 0)
      {
        /* Translators: %s is a column name such as 姓名. */
        g_printerr (_("The CSV file has no column “%s”.\n"), column_title (required[i]));
        ok = FALSE;
      }
  return ok;
}

/* The field, trimmed, or NULL when empty. */
static char *
field (Table  *table,
       guint   row,
       Column  column)
{
  const char *value = co_csv_get_field (table->csv, row, table->columns[column]);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (value));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

/* Wire names and English words become the printed wording; anything else
 * (小学, 男, ...) is printed as the office typed it. */
static char *
display_stage (char *value)
{
  const char *text = NULL;

  if (value == NULL)
    return NULL;
  if (g_ascii_strcasecmp (value, "primary") == 0)
    text = _("Primary");
  else if (g_ascii_strcasecmp (value, "junior") == 0)
    text = _("Junior secondary");
  else if (g_ascii_strcasecmp (value, "senior") == 0)
    text = _("Senior secondary");
  if (text == NULL)
    return value;
  g_free (value);
  return g_strdup (text);
}

static char *
display_gender (char *value)
{
  const char *text = NULL;

  if (value == NULL)
    return NULL;
  if (g_ascii_strcasecmp (value, "male") == 0 || g_ascii_strcasecmp (value, "m") == 0)
    text = _("Male");
  else if (g_ascii_strcasecmp (value, "female") == 0 || g_ascii_strcasecmp (value, "f") == 0)
    text = _("Female");
  if (text == NULL)
    return value;
  g_free (value);
  return g_strdup (text);
}

static char *
display_delivery (char *value)
{
  const char *text = NULL;

  if (value == NULL)
    return NULL;
  if (g_ascii_strcasecmp (value, "home") == 0)
    text = _("Deliver home");
  else if (g_ascii_strcasecmp (value, "school") == 0)
    text = _("Deliver to school");
  if (text == NULL)
    return value;
  g_free (value);
  return g_strdup (text);
}

static char *
format_fen (guint64 fen)
{
  g_autofree char *amount = g_strdup_printf ("%" G_GUINT64_FORMAT ".%02u", fen / 100, (guint) (fen % 100));

  /* Translators: a sum of money in yuan, e.g. "15.00 元". */
  return g_strdup_printf (_("%s yuan"), amount);
}

/* A fee column in whole fen (as the platform sends it) is formatted;
 * anything else is printed as written. */
static char *
display_fee (char *value)
{
  guint64 fen;

  if (value == NULL)
    return format_fen (DEFAULT_FEE_FEN);
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &fen, NULL))
    return value;
  g_free (value);
  return format_fen (fen);
}

static char *
photo_path (Table *table,
            guint  row)
{
  g_autofree char *value = field (table, row, COL_PHOTO);

  if (value == NULL)
    return NULL;
  if (g_path_is_absolute (value))
    return g_steal_pointer (&value);
  return g_build_filename (table->dir, value, NULL);
}

static void
fill_captions (CoPrintCaptions *c)
{
  memset (c, 0, sizeof *c);
  c->name = _("Name");
  c->gender = _("Gender");
  c->school = _("School");
  c->stage = _("Stage");
  c->validity = _("Valid until");
  c->edu_id = _("Education ID");
  c->card_no = _("Transit card no.");
  c->bjt_no = _("Beijing Tong no.");
  c->no_photo = _("No photo");
  c->class_name = _("Class");

  c->form_title = _("Student Card Reissue Application");
  c->form_student_section = _("Student");
  c->form_reissue_section = _("Reissue");
  c->form_signature_section = _("Signatures");
  c->reason = _("Reason for reissue");
  c->delivery = _("Delivery");
  c->address = _("Delivery address");
  c->recipient = _("Recipient");
  c->phone = _("Phone");
  c->fee = _("Reissue fee");
  c->application_no = _("Application no.");
  c->date = _("Date");
  c->parent_signature = _("Parent or guardian (signature)");
  c->office_signature = _("Card office staff (signature)");
  c->office_stamp = _("School seal");
  c->form_note = _("The fee is paid by WeChat or Alipay. Production takes about 20 working days. Keep this form in the student file.");

  c->handout_title = _("Student card handout list");
  c->handout_number = _("No.");
  c->handout_signature = _("Signature on receipt");
  /* Translators: %u is a number of students. */
  c->handout_total = _("%u students");
  /* Translators: page %u of %u. */
  c->page_number = _("Page %u of %u");

  c->calibration_title = _("Printer calibration page");
  c->calibration_help = _("1. Print this page at actual size (no “fit to page”).\n"
                          "2. Fold the sheet in half lengthwise, then across. Read each centre "
                          "scale where its fold crosses it.\n"
                          "3. Enter the two readings as the offset of this printer (horizontal, "
                          "vertical) and print this page again: the folds should now cross "
                          "the scales at 0.\n"
                          "4. Hold the page over a label sheet against the light: the crosses "
                          "mark the centres of the labels.");
  /* Translators: the two %s are millimetres, like "+0.5". */
  c->calibration_offset = _("Offset applied: horizontal %s mm, vertical %s mm");
}

static void
print_row_problem (Table        *table,
                   guint         row,
                   const GError *error)
{
  g_autofree char *name = field (table, row, COL_NAME);
  g_autofree char *edu_id = field (table, row, COL_EDU_ID);

  if (g_error_matches (error, CO_CSV_ERROR, CO_CSV_ERROR_SHORT_ROW) ||
      g_error_matches (error, CO_CSV_ERROR, CO_CSV_ERROR_LONG_ROW))
    /* Translators: line number, student name, education ID, then counts of fields. */
    g_printerr (_("  line %u: %s (%s): %u fields where the header has %u\n"),
                co_csv_get_row_line (table->csv, row), name ? name : "?", edu_id ? edu_id : "?",
                co_csv_get_row_n_fields (table->csv, row), co_csv_get_n_columns (table->csv));
  else
    g_printerr ("  %s\n", error->message);
}

static const char *
describe_photo_problem (CoPrintError code)
{
  switch (code)
    {
    case CO_PRINT_ERROR_PHOTO_MISSING:
      return _("no photo file");
    case CO_PRINT_ERROR_PHOTO_CORRUPT:
      return _("the photo file is damaged or incomplete");
    case CO_PRINT_ERROR_PHOTO_UNSUPPORTED:
      return _("the photo is not a JPEG or PNG image");
    case CO_PRINT_ERROR_PHOTO_UNREADABLE:
    case CO_PRINT_ERROR_TEMPLATE_NOT_FOUND:
    case CO_PRINT_ERROR_TEMPLATE_INVALID:
    case CO_PRINT_ERROR_OUTPUT:
    case CO_PRINT_ERROR_INVALID_OPTION:
    default:
      return _("the photo file cannot be read");
    }
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
                  describe_photo_problem (w->code), w->photo_path ? w->photo_path : "-");
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
  static const Column required[] = { COL_NAME, COL_EDU_ID, COL_CARD_NO };
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
      g_autoptr(CoStickerData) data = co_sticker_data_new ();
      g_autoptr(GError) row_error = NULL;

      if (!co_csv_check_row (table.csv, row, &row_error))
        {
          if (short_rows++ == 0)
            g_printerr (_("Rows whose number of fields differs from the header (printed with what they hold):\n"));
          print_row_problem (&table, row, row_error);
        }

      data->name = field (&table, row, COL_NAME);
      data->edu_id = field (&table, row, COL_EDU_ID);
      data->card_no = field (&table, row, COL_CARD_NO);
      if (data->name == NULL || data->edu_id == NULL || data->card_no == NULL)
        {
          /* Translators: %u is a line of the CSV file. */
          g_printerr (_("Line %u is skipped: a sticker needs a name, an education ID and a transit card number.\n"),
                      co_csv_get_row_line (table.csv, row));
          skipped++;
          continue;
        }
      data->gender = display_gender (field (&table, row, COL_GENDER));
      data->school = field (&table, row, COL_SCHOOL);
      data->stage = display_stage (field (&table, row, COL_STAGE));
      data->validity = field (&table, row, COL_VALIDITY);
      data->bjt_no = field (&table, row, COL_BJT_NO);
      data->class_name = field (&table, row, COL_CLASS);
      data->photo_path = photo_path (&table, row);
      g_ptr_array_add (stickers, g_steal_pointer (&data));
    }

  if (stickers->len == 0)
    {
      g_printerr (_("The CSV file holds no student to print.\n"));
      return 2;
    }

  fill_captions (&captions);
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
  static const Column required[] = { COL_NAME };
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

          data->name = field (&table, row, COL_NAME);
          data->edu_id = field (&table, row, COL_EDU_ID);
          data->card_no = field (&table, row, COL_CARD_NO);
          data->school = field (&table, row, COL_SCHOOL);
          data->class_name = field (&table, row, COL_CLASS);
          g_ptr_array_add (items, data);
        }
      else
        {
          CoFormData *data = co_form_data_new ();

          data->school = field (&table, row, COL_SCHOOL);
          data->name = field (&table, row, COL_NAME);
          data->gender = display_gender (field (&table, row, COL_GENDER));
          data->class_name = field (&table, row, COL_CLASS);
          data->stage = display_stage (field (&table, row, COL_STAGE));
          data->edu_id = field (&table, row, COL_EDU_ID);
          data->card_no = field (&table, row, COL_CARD_NO);
          data->bjt_no = field (&table, row, COL_BJT_NO);
          data->reason = field (&table, row, COL_REASON);
          data->delivery = display_delivery (field (&table, row, COL_DELIVERY));
          data->address = field (&table, row, COL_ADDRESS);
          data->recipient = field (&table, row, COL_RECIPIENT);
          data->phone = field (&table, row, COL_PHONE);
          data->fee = display_fee (field (&table, row, COL_FEE));
          data->application_no = field (&table, row, COL_APPLICATION_NO);
          data->date = field (&table, row, COL_DATE);
          g_ptr_array_add (items, data);
        }
    }
  if (items->len == 0)
    {
      g_printerr (_("The CSV file holds no student to print.\n"));
      return 2;
    }

  fill_captions (&captions);
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

  fill_captions (&captions);
  if (!co_print_calibration_page (template_, &options, &captions, output, &error))
    {
      report_failure (output, error);
      return 2;
    }
  g_print ("output=%s template=%s pages=1\n", output, co_template_get_name (template_));
  return 0;
}
