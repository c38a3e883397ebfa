/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CSV rows and roster students as print data. The column names are the
 * ones card-office-batch reads (Chinese or English); photo paths are
 * relative to the CSV file. Rows are never dropped silently: the counts
 * of skipped and malformed rows go back to the page.
 */
#define G_LOG_DOMAIN "co-print-data"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "co-csv.h"
#include "co-print-data.h"
#include "co-reason-text.h"

/* The fixed reissue fee (补卡工本费), in fen, printed when none is given. */
#define DEFAULT_FEE_FEN 1500

static const char * const column_names[CO_PRINT_N_COLUMNS][6] = {
  [CO_PRINT_COLUMN_EDU_ID] = { "教育ID", "edu_id", "education_id", "教育号", NULL },
  [CO_PRINT_COLUMN_NAME] = { "姓名", "name", "学生姓名", NULL },
  [CO_PRINT_COLUMN_GENDER] = { "性别", "gender", "sex", NULL },
  [CO_PRINT_COLUMN_SCHOOL] = { "学校", "school", "学校名称", NULL },
  [CO_PRINT_COLUMN_STAGE] = { "学段", "stage", NULL },
  [CO_PRINT_COLUMN_VALIDITY] = { "有效期", "validity", "valid_until", NULL },
  [CO_PRINT_COLUMN_CARD_NO] = { "一卡通号", "card_no", "transit_card_no", "一卡通卡号", NULL },
  [CO_PRINT_COLUMN_BJT_NO] = { "北京通号", "bjt_no", "beijing_tong_no", NULL },
  [CO_PRINT_COLUMN_PHOTO] = { "照片", "photo", "photo_path", "照片路径", NULL },
  [CO_PRINT_COLUMN_CLASS] = { "班级", "class", "class_name", NULL },
  [CO_PRINT_COLUMN_APPLICATION_NO] = { "申请编号", "application_no", "reissue_id", "申请号", NULL },
  [CO_PRINT_COLUMN_REASON] = { "补卡原因", "reason", "原因", NULL },
  [CO_PRINT_COLUMN_DELIVERY] = { "配送方式", "delivery", NULL },
  [CO_PRINT_COLUMN_ADDRESS] = { "收件地址", "address", "地址", NULL },
  [CO_PRINT_COLUMN_RECIPIENT] = { "收件人", "recipient", NULL },
  [CO_PRINT_COLUMN_PHONE] = { "联系电话", "phone", "电话", NULL },
  [CO_PRINT_COLUMN_FEE] = { "补卡工本费", "fee", "费用", NULL },
  [CO_PRINT_COLUMN_DATE] = { "申请日期", "date", "日期", NULL },
};

/* Helpers */

static char *
replace (char       *value,
         const char *text)
{
  if (text == NULL)
    return value;
  g_free (value);
  return g_strdup (text);
}

static char *
display_stage (char *value)
{
  if (value == NULL)
    return NULL;
  if (g_ascii_strcasecmp (value, "primary") == 0)
    return replace (value, co_stage_to_text (CO_STAGE_PRIMARY));
  if (g_ascii_strcasecmp (value, "junior") == 0)
    return replace (value, co_stage_to_text (CO_STAGE_JUNIOR));
  if (g_ascii_strcasecmp (value, "senior") == 0)
    return replace (value, co_stage_to_text (CO_STAGE_SENIOR));
  return value;
}

static char *
display_gender (char *value)
{
  if (value == NULL)
    return NULL;
  if (g_ascii_strcasecmp (value, "male") == 0 || g_ascii_strcasecmp (value, "m") == 0)
    return replace (value, _("Male"));
  if (g_ascii_strcasecmp (value, "female") == 0 || g_ascii_strcasecmp (value, "f") == 0)
    return replace (value, _("Female"));
  return value;
}

static char *
display_delivery (char *value)
{
  if (value == NULL)
    return NULL;
  if (g_ascii_strcasecmp (value, "home") == 0)
    return replace (value, co_delivery_to_text (CO_DELIVERY_HOME));
  if (g_ascii_strcasecmp (value, "school") == 0)
    return replace (value, co_delivery_to_text (CO_DELIVERY_SCHOOL));
  return value;
}

static char *
format_fen (guint64 fen)
{
  g_autofree char *amount = g_strdup_printf ("%" G_GUINT64_FORMAT ".%02u", fen / 100, (guint) (fen % 100));

  /* Translators: a sum of money in yuan, e.g. "15.00 元". */
  return g_strdup_printf (_("%s yuan"), amount);
}

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

static CoPrintData *
print_data_new (void)
{
  CoPrintData *data = g_new0 (CoPrintData, 1);

  data->stickers = g_ptr_array_new_with_free_func ((GDestroyNotify) co_sticker_data_free);
  data->forms = g_ptr_array_new_with_free_func ((GDestroyNotify) co_form_data_free);
  return data;
}

/* Public API */

/**
 * co_print_data_find_columns:
 * @columns: (out): the index of each column, -1 when missing
 */
void
co_print_data_find_columns (CoCsv *csv,
                            int    columns[CO_PRINT_N_COLUMNS])
{
  for (guint c = 0; c < CO_PRINT_N_COLUMNS; c++)
    columns[c] = co_csv_find_column (csv, column_names[c]);
}

/* The column's Chinese name, as the office's sheets spell it. */
const char *
co_print_data_column_title (CoPrintColumn column)
{
  g_return_val_if_fail (column < CO_PRINT_N_COLUMNS, NULL);
  return column_names[column][0];
}

/**
 * co_print_data_field:
 *
 * Returns: (transfer full) (nullable): the field, trimmed, or %NULL when
 *   empty or missing
 */
char *
co_print_data_field (CoCsv         *csv,
                     const int     *columns,
                     guint          row,
                     CoPrintColumn  column)
{
  const char *value = co_csv_get_field (csv, row, columns[column]);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (value));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

/**
 * co_print_data_form_from_row:
 *
 * One reissue form per row; wire names and English words (male, junior,
 * home, a fee in fen) become the printed wording.
 */
CoFormData *
co_print_data_form_from_row (CoCsv     *csv,
                             const int *columns,
                             guint      row)
{
  CoFormData *form = co_form_data_new ();

  form->school = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_SCHOOL);
  form->name = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_NAME);
  form->gender = display_gender (co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_GENDER));
  form->class_name = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_CLASS);
  form->stage = display_stage (co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_STAGE));
  form->edu_id = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_EDU_ID);
  form->card_no = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_CARD_NO);
  form->bjt_no = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_BJT_NO);
  form->reason = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_REASON);
  form->delivery = display_delivery (co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_DELIVERY));
  form->address = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_ADDRESS);
  form->recipient = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_RECIPIENT);
  form->phone = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_PHONE);
  form->fee = display_fee (co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_FEE));
  form->application_no = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_APPLICATION_NO);
  form->date = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_DATE);
  return form;
}

/**
 * co_print_data_sticker_from_row:
 * @dir: the CSV file's folder, for relative photo paths
 *
 * Returns: (transfer full) (nullable): the sticker, or %NULL when the row
 *   has no name, education ID or 一卡通号
 */
CoStickerData *
co_print_data_sticker_from_row (CoCsv      *csv,
                                const int  *columns,
                                guint       row,
                                const char *dir)
{
  g_autoptr(CoStickerData) sticker = co_sticker_data_new ();
  g_autofree char *photo = NULL;

  sticker->name = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_NAME);
  sticker->edu_id = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_EDU_ID);
  sticker->card_no = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_CARD_NO);
  if (sticker->name == NULL || sticker->edu_id == NULL || sticker->card_no == NULL)
    return NULL;
  sticker->gender = display_gender (co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_GENDER));
  sticker->school = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_SCHOOL);
  sticker->stage = display_stage (co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_STAGE));
  sticker->validity = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_VALIDITY);
  sticker->bjt_no = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_BJT_NO);
  sticker->class_name = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_CLASS);
  photo = co_print_data_field (csv, columns, row, CO_PRINT_COLUMN_PHOTO);
  if (photo != NULL)
    sticker->photo_path = g_path_is_absolute (photo) ? g_steal_pointer (&photo)
                                                    : g_build_filename (dir, photo, NULL);
  return g_steal_pointer (&sticker);
}

/**
 * co_print_data_new_from_csv:
 *
 * Reads @path; fails (with a translated message) when it cannot be read or
 * has no name column.
 */
CoPrintData *
co_print_data_new_from_csv (const char  *path,
                            GError     **error)
{
  g_autoptr(CoCsv) csv = NULL;
  g_autoptr(CoPrintData) data = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *basename = NULL;
  int columns[CO_PRINT_N_COLUMNS];

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  basename = g_filename_display_basename (path);
  if (!(csv = co_csv_new_from_file (path, &local_error)))
    {
      if (g_error_matches (local_error, CO_CSV_ERROR, CO_CSV_ERROR_BINARY))
        /* Translators: %s is a file name. */
        g_set_error (error, CO_CSV_ERROR, CO_CSV_ERROR_BINARY,
                     _("“%s” is not a CSV file. Save the sheet from the spreadsheet program as CSV (comma or tab separated) first."),
                     basename);
      else
        /* Translators: %s is a file name, then the reason. */
        g_set_error (error, local_error->domain, local_error->code,
                     _("Cannot read “%s”: %s"), basename, local_error->message);
      return NULL;
    }

  co_print_data_find_columns (csv, columns);
  if (columns[CO_PRINT_COLUMN_NAME] < 0)
    {
      /* Translators: %s is a file name; 姓名 is the column's name. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” has no column “姓名” (name)."), basename);
      return NULL;
    }

  dir = g_path_get_dirname (path);
  data = print_data_new ();
  data->n_rows = co_csv_get_n_rows (csv);
  for (guint row = 0; row < data->n_rows; row++)
    {
      CoFormData *form;
      CoStickerData *sticker;

      if (!co_csv_check_row (csv, row, NULL))
        data->n_bad_rows++;

      form = co_print_data_form_from_row (csv, columns, row);
      g_ptr_array_add (data->forms, form);

      sticker = co_print_data_sticker_from_row (csv, columns, row, dir);
      if (sticker == NULL)
        data->n_skipped++;
      else
        g_ptr_array_add (data->stickers, sticker);
    }

  return g_steal_pointer (&data);
}

/**
 * co_print_data_new_from_students:
 * @students: (element-type CoStudent)
 * @store: (nullable): where the photos are
 */
CoPrintData *
co_print_data_new_from_students (GPtrArray *students,
                                 CoStore   *store)
{
  CoPrintData *data = print_data_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  g_return_val_if_fail (students != NULL, data);

  data->n_rows = students->len;
  for (guint i = 0; i < students->len; i++)
    {
      CoStudent *student = g_ptr_array_index (students, i);
      CoStickerData *sticker = co_sticker_data_new ();
      CoFormData *form = co_form_data_new ();
      const char *gender = co_student_get_gender (student) == CO_GENDER_FEMALE ? _("Female") : _("Male");

      sticker->edu_id = g_strdup (co_student_get_edu_id (student));
      sticker->name = g_strdup (co_student_get_name (student));
      sticker->gender = g_strdup (gender);
      sticker->school = g_strdup (co_student_get_school (student));
      sticker->stage = g_strdup (co_stage_to_text (co_student_get_stage (student)));
      sticker->validity = g_strdup (co_student_get_valid_until (student));
      sticker->card_no = g_strdup (co_student_get_card_no (student));
      sticker->bjt_no = g_strdup (co_student_get_bjt_no (student));
      sticker->class_name = g_strdup (co_student_get_class_name (student));
      if (store != NULL && sticker->edu_id != NULL)
        sticker->photo = co_store_get_photo (store, sticker->edu_id, NULL);

      form->school = g_strdup (sticker->school);
      form->name = g_strdup (sticker->name);
      form->gender = g_strdup (sticker->gender);
      form->class_name = g_strdup (sticker->class_name);
      form->stage = g_strdup (sticker->stage);
      form->edu_id = g_strdup (sticker->edu_id);
      form->card_no = g_strdup (sticker->card_no);
      form->bjt_no = g_strdup (sticker->bjt_no);
      form->fee = format_fen (DEFAULT_FEE_FEN);
      form->date = g_strdup (today);

      g_ptr_array_add (data->forms, form);
      if (sticker->card_no == NULL)
        {
          data->n_skipped++;
          co_sticker_data_free (sticker);
        }
      else
        g_ptr_array_add (data->stickers, sticker);
    }

  return data;
}

void
co_print_data_free (CoPrintData *data)
{
  if (data == NULL)
    return;
  g_clear_pointer (&data->stickers, g_ptr_array_unref);
  g_clear_pointer (&data->forms, g_ptr_array_unref);
  g_free (data);
}

/* The same words as card-office-batch prints. */
void
co_print_data_fill_captions (CoPrintCaptions *c)
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

const char *
co_print_data_describe_problem (CoPrintError code)
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
