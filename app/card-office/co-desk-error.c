/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-desk-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-client-error.h"
#include "co-desk-error.h"
#include "co-error-text.h"
#include "co-reason-text.h"

static const char *
field_text (const char *field)
{
  static const struct
  {
    const char *field;
    CoReason    reason;
  } reasons[] = {
    { "phone",           CO_REASON_PHONE_INVALID },
    { "address",         CO_REASON_ADDRESS_MISSING },
    { "recipient",       CO_REASON_RECIPIENT_MISSING },
    { "courier_fee_fen", CO_REASON_COURIER_FEE_OVER_CAP },
    { "edu_id",          CO_REASON_EDU_ID_INVALID },
    { "grade",           CO_REASON_GRADE_INVALID },
  };

  for (guint i = 0; field != NULL && i < G_N_ELEMENTS (reasons); i++)
    if (g_str_equal (reasons[i].field, field))
      return co_reason_to_text (reasons[i].reason);

  if (g_strcmp0 (field, "name") == 0)
    return _("The name must be 1 to 32 characters.");
  if (g_strcmp0 (field, "gender") == 0)
    return _("Choose the gender.");
  if (g_strcmp0 (field, "body") == 0)
    return _("Nothing was changed.");

  return _("The server refused what was entered.");
}

/**
 * co_desk_error_to_text:
 * @error: the error of a desk action's CoClient call
 *
 * Returns: (transfer full): the translated explanation
 */
char *
co_desk_error_to_text (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_VALIDATION))
    return g_strdup (field_text (co_client_error_get_field (error)));
  if (g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND))
    return g_strdup (_("The student or the reissue was not found on the server."));

  return co_error_to_text (error);
}
