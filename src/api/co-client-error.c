/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-client"

#include "config.h"

#include <gio/gio.h>

#include "co-client-error.h"
#include "co-client-private.h"

typedef struct
{
  guint     http_status;
  char     *wire_code;
  char     *field;
  CoReason  reason;
  guint     retry_after;
} CoClientErrorPrivate;

static void
co_client_error_private_init (CoClientErrorPrivate *priv)
{
  priv->reason = CO_REASON_NONE;
}

static void
co_client_error_private_copy (const CoClientErrorPrivate *src,
                              CoClientErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->wire_code = g_strdup (src->wire_code);
  dest->field = g_strdup (src->field);
  dest->reason = src->reason;
  dest->retry_after = src->retry_after;
}

static void
co_client_error_private_clear (CoClientErrorPrivate *priv)
{
  g_clear_pointer (&priv->wire_code, g_free);
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (CoClientError, co_client_error)

static CoClientErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != CO_CLIENT_ERROR)
    return NULL;

  return co_client_error_get_private (error);
}

CoReason
co_client_error_get_reason (const GError *error)
{
  CoClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->reason : CO_REASON_NONE;
}

const char *
co_client_error_get_field (const GError *error)
{
  CoClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->field : NULL;
}

guint
co_client_error_get_retry_after (const GError *error)
{
  CoClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->retry_after : 0;
}

guint
co_client_error_get_http_status (const GError *error)
{
  CoClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->http_status : 0;
}

const char *
co_client_error_get_wire_code (const GError *error)
{
  CoClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->wire_code : NULL;
}

gboolean
co_client_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != CO_CLIENT_ERROR)
    return FALSE;

  switch ((CoClientError) error->code)
    {
    case CO_CLIENT_ERROR_NETWORK:
    case CO_CLIENT_ERROR_TIMEOUT:
    case CO_CLIENT_ERROR_THROTTLED:
    case CO_CLIENT_ERROR_SERVER:
      return TRUE;

    case CO_CLIENT_ERROR_TLS:
    case CO_CLIENT_ERROR_UNAUTHORIZED:
    case CO_CLIENT_ERROR_FORBIDDEN:
    case CO_CLIENT_ERROR_NOT_FOUND:
    case CO_CLIENT_ERROR_CONFLICT:
    case CO_CLIENT_ERROR_VALIDATION:
    case CO_CLIENT_ERROR_PROTOCOL:
    case CO_CLIENT_ERROR_TOO_LARGE:
    case CO_CLIENT_ERROR_INVALID_REQUEST:
    default:
      return FALSE;
    }
}

GError *
_co_client_error_new_full (CoClientError  code,
                           guint          http_status,
                           const char    *wire_code,
                           const char    *field,
                           CoReason       reason,
                           guint          retry_after,
                           const char    *format,
                           ...)
{
  CoClientErrorPrivate *priv;
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (CO_CLIENT_ERROR, code, format, args);
  va_end (args);

  priv = co_client_error_get_private (error);
  priv->http_status = http_status;
  priv->wire_code = g_strdup (wire_code);
  priv->field = g_strdup (field);
  priv->reason = reason;
  priv->retry_after = retry_after;

  return error;
}
