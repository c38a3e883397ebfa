/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-batch-result-text"

#include "config.h"

#include <glib/gi18n.h>

#include "co-batch-result-text.h"
#include "co-enum-types.h"
#include "co-reason-text.h"

char *
co_batch_code_to_text (const char *code,
                       const char *field)
{
  int reason;

  if (code == NULL)
    return NULL;

  if (g_str_equal (code, "duplicate_row"))
    return g_strdup (_("The same education ID comes earlier in this batch."));
  if (g_str_equal (code, "already_has_card"))
    return g_strdup (_("The student already has a card."));
  if (g_str_equal (code, "edu_id_taken"))
    return g_strdup (_("The education ID belongs to a student of another school."));
  if (g_str_equal (code, "not_found"))
    return g_strdup (_("No such student in this school."));
  if (g_str_equal (code, "sticker_exists"))
    return g_strdup (_("A sticker was already reported for this student in this stage."));
  if (g_str_equal (code, "invalid_field"))
    /* Translators: %s is the name of the refused field as the server gives it, e.g. class_name. */
    return g_strdup_printf (_("The server refused the field “%s”."), field ? field : "?");
  if (co_enum_from_wire (CO_TYPE_REASON, code, &reason))
    return g_strdup (co_reason_to_text (reason));

  /* Translators: %s is the server's code for a refusal this version does not know. */
  return g_strdup_printf (_("Refused by the server (%s)."), code);
}

char *
co_batch_photo_code_to_text (const char *code)
{
  if (code == NULL)
    return NULL;
  if (g_str_equal (code, "unreadable"))
    return g_strdup (_("The photo file cannot be read."));
  if (g_str_equal (code, "not_jpeg_or_png"))
    return g_strdup (_("The photo is neither a JPEG nor a PNG file."));
  if (g_str_equal (code, "corrupt"))
    return g_strdup (_("The photo file is damaged or cut short."));
  if (g_str_equal (code, "unsupported"))
    return g_strdup (_("The photo is a kind of JPEG the card cannot take."));
  if (g_str_equal (code, "too_large"))
    return g_strdup (_("The photo file is too large."));
  if (g_str_equal (code, "too_small"))
    return g_strdup (_("The photo is too small."));
  if (g_str_equal (code, "aspect"))
    return g_strdup (_("The photo is not upright in the card’s proportions."));
  /* Translators: %s is the server's code, e.g. invalid_field. */
  return g_strdup_printf (_("The server did not take the photo (%s)."), code);
}

const char *
co_batch_row_state_to_text (CoBatchRowState state)
{
  switch (state)
    {
    case CO_BATCH_ROW_PENDING:
      return _("Not sent yet");
    case CO_BATCH_ROW_ACCEPTED:
      return _("Accepted");
    case CO_BATCH_ROW_REFUSED:
      return _("Refused");
    default:
      return "?";
    }
}

char *
co_batch_row_reason_text (const CoBatchJobRow *row,
                          gpointer             user_data)
{
  g_autofree char *reason = co_batch_code_to_text (row->code, row->field);
  g_autofree char *photo = NULL;

  if (row->photo == CO_BATCH_PHOTO_FAILED)
    photo = co_batch_photo_code_to_text (row->photo_code);
  if (reason != NULL && photo != NULL)
    return g_strconcat (reason, " ", photo, NULL);
  if (photo != NULL)
    /* Translators: %s says why the photo did not go; the row itself was accepted. */
    return g_strdup_printf (_("Photo not uploaded: %s"), photo);
  return g_steal_pointer (&reason);
}

void
co_batch_export_text_init (CoBatchExportText *text)
{
  g_return_if_fail (text != NULL);

  text->headers[CO_BATCH_EXPORT_COLUMN_LINE] = _("Line");
  text->headers[CO_BATCH_EXPORT_COLUMN_EDU_ID] = _("Education ID");
  text->headers[CO_BATCH_EXPORT_COLUMN_NAME] = _("Name");
  text->headers[CO_BATCH_EXPORT_COLUMN_RESULT] = _("Result");
  text->headers[CO_BATCH_EXPORT_COLUMN_REASON] = _("Reason");
  text->results[CO_BATCH_ROW_PENDING] = co_batch_row_state_to_text (CO_BATCH_ROW_PENDING);
  text->results[CO_BATCH_ROW_ACCEPTED] = co_batch_row_state_to_text (CO_BATCH_ROW_ACCEPTED);
  text->results[CO_BATCH_ROW_REFUSED] = co_batch_row_state_to_text (CO_BATCH_ROW_REFUSED);
  text->reason_func = co_batch_row_reason_text;
  text->user_data = NULL;
}
