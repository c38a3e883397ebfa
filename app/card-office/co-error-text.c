/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-error-text"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-client-error.h"
#include "co-error-text.h"
#include "co-reason-text.h"
#include "co-store.h"

/* The local store (学生名单 kept on this computer) could not do its part. */
char *
co_store_error_to_text (const GError *error)
{
  g_return_val_if_fail (error != NULL && error->domain == CO_STORE_ERROR, NULL);

  switch ((CoStoreError) error->code)
    {
    case CO_STORE_ERROR_DISK_FULL:
      return g_strdup (_("The disk is full, so this was not saved. Everything saved before is kept; free some disk space and try again."));

    case CO_STORE_ERROR_TOO_NEW:
      return g_strdup (_("The local data was written by a newer Card Office. Update Card Office, or clear the local data in Preferences."));

    case CO_STORE_ERROR_CORRUPT:
      return g_strdup (_("The local data is damaged. Clear the local data in Preferences and sync again."));

    case CO_STORE_ERROR_OPEN:
    case CO_STORE_ERROR_IO:
    default:
      return g_strdup (_("The local data could not be written. Check the disk and try again."));
    }
}

char *
co_error_to_text (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == CO_STORE_ERROR)
    return co_store_error_to_text (error);

  if (error->domain != CO_CLIENT_ERROR)
    return g_strdup (_("Something went wrong. Try again."));

  switch ((CoClientError) error->code)
    {
    case CO_CLIENT_ERROR_NETWORK:
    case CO_CLIENT_ERROR_TIMEOUT:
      return g_strdup (_("The server cannot be reached. Check the network and the server address in Preferences."));

    case CO_CLIENT_ERROR_TLS:
      return g_strdup (_("The server’s certificate is not trusted. Check the server address and the CA file in Preferences."));

    case CO_CLIENT_ERROR_UNAUTHORIZED:
      return g_strdup (_("You are not signed in, or the session has expired. Sign in again."));

    case CO_CLIENT_ERROR_FORBIDDEN:
      return g_strdup (_("This account may not see this."));

    case CO_CLIENT_ERROR_THROTTLED:
      return g_strdup (_("Too many requests. Wait a moment and try again."));

    case CO_CLIENT_ERROR_SERVER:
      return g_strdup (_("The server has a problem. Try again later."));

    case CO_CLIENT_ERROR_CONFLICT:
      if (co_client_error_get_reason (error) != CO_REASON_NONE)
        return g_strdup (co_reason_to_text (co_client_error_get_reason (error)));
      return g_strdup (_("The server refused this because of the card rules."));

    case CO_CLIENT_ERROR_VALIDATION:
      return g_strdup (_("The server does not accept these search conditions."));

    case CO_CLIENT_ERROR_NOT_FOUND:
      return g_strdup (_("The server does not know this student or record."));

    case CO_CLIENT_ERROR_INVALID_REQUEST:
      return g_strdup (_("The server address is not valid. Set it in Preferences."));

    case CO_CLIENT_ERROR_INSECURE:
      return g_strdup (_("The server address must start with https://. Plain http:// is allowed only for this computer (localhost). Set it in Preferences."));

    case CO_CLIENT_ERROR_PROTOCOL:
    case CO_CLIENT_ERROR_TOO_LARGE:
    default:
      return g_strdup (_("The server gave an answer Card Office does not understand. Check the server address in Preferences."));
    }
}
