/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-print"

#include "config.h"

#include "co-print-types.h"
#include "co-print-private.h"

G_DEFINE_QUARK (co-print-error-quark, co_print_error)

G_DEFINE_BOXED_TYPE (CoStickerData, co_sticker_data, co_sticker_data_copy, co_sticker_data_free)
G_DEFINE_BOXED_TYPE (CoFormData, co_form_data, co_form_data_copy, co_form_data_free)

static CoPrintWarning *co_print_warning_copy (const CoPrintWarning *warning);

G_DEFINE_BOXED_TYPE (CoPrintWarning, co_print_warning, co_print_warning_copy, co_print_warning_free)

CoStickerData *
co_sticker_data_new (void)
{
  return g_new0 (CoStickerData, 1);
}

CoStickerData *
co_sticker_data_copy (const CoStickerData *data)
{
  CoStickerData *copy;

  g_return_val_if_fail (data != NULL, NULL);

  copy = g_new0 (CoStickerData, 1);
  copy->edu_id = g_strdup (data->edu_id);
  copy->name = g_strdup (data->name);
  copy->gender = g_strdup (data->gender);
  copy->school = g_strdup (data->school);
  copy->stage = g_strdup (data->stage);
  copy->validity = g_strdup (data->validity);
  copy->card_no = g_strdup (data->card_no);
  copy->bjt_no = g_strdup (data->bjt_no);
  copy->class_name = g_strdup (data->class_name);
  copy->photo_path = g_strdup (data->photo_path);
  copy->photo = data->photo ? g_bytes_ref (data->photo) : NULL;
  return copy;
}

void
co_sticker_data_free (CoStickerData *data)
{
  if (data == NULL)
    return;
  g_free (data->edu_id);
  g_free (data->name);
  g_free (data->gender);
  g_free (data->school);
  g_free (data->stage);
  g_free (data->validity);
  g_free (data->card_no);
  g_free (data->bjt_no);
  g_free (data->class_name);
  g_free (data->photo_path);
  g_clear_pointer (&data->photo, g_bytes_unref);
  g_free (data);
}

CoFormData *
co_form_data_new (void)
{
  return g_new0 (CoFormData, 1);
}

CoFormData *
co_form_data_copy (const CoFormData *data)
{
  CoFormData *copy;

  g_return_val_if_fail (data != NULL, NULL);

  copy = g_new0 (CoFormData, 1);
  copy->school = g_strdup (data->school);
  copy->name = g_strdup (data->name);
  copy->gender = g_strdup (data->gender);
  copy->class_name = g_strdup (data->class_name);
  copy->stage = g_strdup (data->stage);
  copy->edu_id = g_strdup (data->edu_id);
  copy->card_no = g_strdup (data->card_no);
  copy->bjt_no = g_strdup (data->bjt_no);
  copy->reason = g_strdup (data->reason);
  copy->delivery = g_strdup (data->delivery);
  copy->address = g_strdup (data->address);
  copy->recipient = g_strdup (data->recipient);
  copy->phone = g_strdup (data->phone);
  copy->fee = g_strdup (data->fee);
  copy->application_no = g_strdup (data->application_no);
  copy->date = g_strdup (data->date);
  return copy;
}

void
co_form_data_free (CoFormData *data)
{
  if (data == NULL)
    return;
  g_free (data->school);
  g_free (data->name);
  g_free (data->gender);
  g_free (data->class_name);
  g_free (data->stage);
  g_free (data->edu_id);
  g_free (data->card_no);
  g_free (data->bjt_no);
  g_free (data->reason);
  g_free (data->delivery);
  g_free (data->address);
  g_free (data->recipient);
  g_free (data->phone);
  g_free (data->fee);
  g_free (data->application_no);
  g_free (data->date);
  g_free (data);
}

static CoPrintWarning *
co_print_warning_copy (const CoPrintWarning *warning)
{
  CoPrintWarning *copy = g_new0 (CoPrintWarning, 1);

  copy->index = warning->index;
  copy->name = g_strdup (warning->name);
  copy->edu_id = g_strdup (warning->edu_id);
  copy->photo_path = g_strdup (warning->photo_path);
  copy->code = warning->code;
  copy->message = g_strdup (warning->message);
  return copy;
}

void
co_print_warning_free (CoPrintWarning *warning)
{
  if (warning == NULL)
    return;
  g_free (warning->name);
  g_free (warning->edu_id);
  g_free (warning->photo_path);
  g_free (warning->message);
  g_free (warning);
}

/* A caption that is a printf format with up to two %u (translated, so not
 * a literal): "第 %u 页，共 %u 页". */
char *
_co_format_caption (const char *format,
                    guint       a,
                    guint       b)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return g_strdup_printf (format, a, b);
#pragma GCC diagnostic pop
}
