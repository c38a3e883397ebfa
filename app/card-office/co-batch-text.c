/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Same sentences as card-office-batch check-import, so a row reads the
 * same in the terminal and on the page.
 */
#define G_LOG_DOMAIN "co-batch-text"

#include "config.h"

#include <glib/gi18n.h>

#include "co-batch-text.h"
#include "co-csv.h"
#include "co-reason-text.h"

const char *
co_batch_field_to_text (CoImportField field)
{
  switch (field)
    {
    case CO_IMPORT_FIELD_EDU_ID: return _("Education ID");
    case CO_IMPORT_FIELD_NAME: return _("Name");
    case CO_IMPORT_FIELD_GENDER: return _("Gender");
    case CO_IMPORT_FIELD_GRADE: return _("Grade");
    case CO_IMPORT_FIELD_CLASS: return _("Class");
    case CO_IMPORT_FIELD_ENTRY: return _("Source");
    case CO_IMPORT_FIELD_PHOTO: return _("Photo");
    case CO_IMPORT_FIELD_REISSUED: return _("Reissued in this stage");
    case CO_IMPORT_N_FIELDS:
    default: return "?";
    }
}

const char *
co_batch_verdict_to_text (CoImportVerdict verdict)
{
  switch (verdict)
    {
    /* Translators: a row of a batch list that can be submitted. */
    case CO_IMPORT_VERDICT_OK: return C_("batch row", "Can be submitted");
    /* Translators: a row that goes through, with something to look at. */
    case CO_IMPORT_VERDICT_WARNING: return C_("batch row", "Warning");
    /* Translators: a row that cannot be submitted as it is. */
    case CO_IMPORT_VERDICT_REFUSED: return C_("batch row", "Cannot be submitted");
    default: return "?";
    }
}

const char *
co_batch_verdict_icon_name (CoImportVerdict verdict)
{
  switch (verdict)
    {
    case CO_IMPORT_VERDICT_OK: return "emblem-ok-symbolic";
    case CO_IMPORT_VERDICT_WARNING: return "dialog-warning-symbolic";
    case CO_IMPORT_VERDICT_REFUSED:
    default: return "dialog-error-symbolic";
    }
}

char *
co_batch_photo_problem_to_text (CoImportPhotoProblem problem,
                                const CoImportRow   *row)
{
  switch (problem)
    {
    case CO_IMPORT_PHOTO_UNREADABLE:
      return g_strdup (_("The photo file cannot be read."));
    case CO_IMPORT_PHOTO_NOT_JPEG_OR_PNG:
      return g_strdup (_("The photo is neither a JPEG nor a PNG file."));
    case CO_IMPORT_PHOTO_CORRUPT:
      return g_strdup (_("The photo file is truncated or damaged."));
    case CO_IMPORT_PHOTO_UNSUPPORTED:
      return g_strdup (_("This kind of JPEG cannot be printed on a card; save it again as an ordinary JPEG."));
    case CO_IMPORT_PHOTO_TOO_LARGE:
      /* Translators: %d is a size in megabytes. */
      return g_strdup_printf (_("The photo file is larger than %d MB."),
                              CO_IMPORT_PHOTO_MAX_BYTES / (1024 * 1024));
    case CO_IMPORT_PHOTO_TOO_SMALL:
      /* Translators: the photo's size, then the minimum, in pixels. */
      return g_strdup_printf (_("The photo is %d × %d pixels; the card needs at least %d × %d."),
                              row->photo_width, row->photo_height,
                              CO_IMPORT_PHOTO_MIN_WIDTH, CO_IMPORT_PHOTO_MIN_HEIGHT);
    case CO_IMPORT_PHOTO_ASPECT:
      /* Translators: the photo's size in pixels. */
      return g_strdup_printf (_("The photo is %d × %d pixels: too far from the card’s upright 26 × 32 mm format to crop."),
                              row->photo_width, row->photo_height);
    case CO_IMPORT_PHOTO_AMBIGUOUS:
      return g_strdup (_("Several photo files carry this education ID; keep only one."));
    case CO_IMPORT_PHOTO_OK:
    default:
      return g_strdup ("");
    }
}

char *
co_batch_issue_to_text (const CoImportIssue *issue,
                        const CoImportRow   *row)
{
  const char *edu_id = row->values[CO_IMPORT_FIELD_EDU_ID];

  switch (issue->problem)
    {
    case CO_IMPORT_PROBLEM_EDU_ID_FORMAT:
      /* Translators: %s is the education ID as found in the file. */
      return g_strdup_printf (_("The education ID “%s” is not 8 digits."), edu_id);
    case CO_IMPORT_PROBLEM_EDU_ID_EXCEL_EXPONENT:
      return g_strdup_printf (_("The education ID “%s” was turned into a number by Excel and its digits are lost: format the column as text and enter the ID again."),
                              edu_id);
    case CO_IMPORT_PROBLEM_EDU_ID_LEADING_ZERO_LOST:
      /* Translators: the ID as found (7 digits), then the ID with the zero back. */
      return g_strdup_printf (_("The education ID “%s” has 7 digits: Excel probably dropped a leading zero. Is it %s? Confirm the fix to import the row."),
                              edu_id, issue->suggestion);
    case CO_IMPORT_PROBLEM_MISSING_FIELD:
      /* Translators: %s is a column, such as “Class”. */
      return g_strdup_printf (_("%s is empty."), co_batch_field_to_text (issue->field));
    case CO_IMPORT_PROBLEM_GENDER_INVALID:
      return g_strdup_printf (_("The gender “%s” is neither male nor female."),
                              row->values[CO_IMPORT_FIELD_GENDER]);
    case CO_IMPORT_PROBLEM_GRADE_INVALID:
      return g_strdup_printf (_("The grade “%s” is not a grade from 1 to 12."),
                              row->values[CO_IMPORT_FIELD_GRADE]);
    case CO_IMPORT_PROBLEM_ENTRY_INVALID:
      return g_strdup_printf (_("The source “%s” is none of: new entrant, transfer from outside Beijing, transfer inside Beijing."),
                              row->values[CO_IMPORT_FIELD_ENTRY]);
    case CO_IMPORT_PROBLEM_REISSUED_INVALID:
      return g_strdup_printf (_("“%s” under “Reissued in this stage” is neither yes nor no."),
                              row->values[CO_IMPORT_FIELD_REISSUED]);
    case CO_IMPORT_PROBLEM_DUPLICATE_ROW:
      /* Translators: %u is a line number of the file. */
      return g_strdup_printf (_("This student is already on line %u."), issue->other_line);
    case CO_IMPORT_PROBLEM_UNKNOWN_STUDENT:
      return g_strdup (_("No student with this education ID in the school’s roster."));
    case CO_IMPORT_PROBLEM_NAME_MISMATCH:
      return g_strdup_printf (_("The roster gives this education ID the name “%s”."), issue->suggestion);
    case CO_IMPORT_PROBLEM_PHOTO_MISSING:
      return g_strdup (row->values[CO_IMPORT_FIELD_PHOTO]
                       ? _("The photo file named in this row does not exist.")
                       : _("No photo: no file in the photo folder is named with this education ID."));
    case CO_IMPORT_PROBLEM_PHOTO_BAD:
      return co_batch_photo_problem_to_text (issue->photo, row);
    case CO_IMPORT_PROBLEM_SHORT_ROW:
      return g_strdup (_("The row has fewer fields than the header: a separator is missing."));
    case CO_IMPORT_PROBLEM_LONG_ROW:
      return g_strdup (_("The row has more fields than the header; the extra fields are ignored."));
    case CO_IMPORT_PROBLEM_UNTERMINATED_QUOTE:
      return g_strdup (_("A quotation mark opened on this line does not close where the field ends; the row cannot be read."));
    case CO_IMPORT_PROBLEM_INELIGIBLE:
      return g_strdup (co_reason_to_text (issue->reason));
    case CO_IMPORT_PROBLEM_NONE:
    default:
      return g_strdup ("");
    }
}

char *
co_batch_row_message (const CoImportRow *row)
{
  GString *message = g_string_new (NULL);

  g_return_val_if_fail (row != NULL, NULL);

  for (guint k = 0; k < row->issues->len; k++)
    {
      g_autofree char *text = co_batch_issue_to_text (&g_array_index (row->issues, CoImportIssue, k), row);

      if (message->len > 0)
        g_string_append_c (message, '\n');
      g_string_append (message, text);
    }

  return g_string_free (message, FALSE);
}

const char *
co_batch_file_error_to_text (const GError *error)
{
  if (g_error_matches (error, CO_CSV_ERROR, CO_CSV_ERROR_BINARY))
    return _("This is not a CSV or TSV text file (an Excel workbook must first be saved as CSV).");
  if (g_error_matches (error, CO_CSV_ERROR, CO_CSV_ERROR_ENCODING))
    return _("The file is neither UTF-8 nor GBK text.");
  if (g_error_matches (error, CO_CSV_ERROR, CO_CSV_ERROR_EMPTY))
    return _("The file is empty.");
  if (g_error_matches (error, CO_CSV_ERROR, CO_CSV_ERROR_UNTERMINATED_QUOTE))
    return _("A quotation mark in the header line never closes.");
  return _("The file cannot be read.");
}
