/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CO_CLIENT_ERROR: every way a call to the central API can fail, one code
 * per thing the app reacts to differently. Messages are for logs; the app
 * picks its (translated) wording from the code and the details below.
 *
 * The domain is an extended GError domain (GLib >= 2.68): each error carries
 * details that survive g_error_copy() and g_task_return_error():
 *   - CONFLICT:   the rule's reason (co_client_error_get_reason ())
 *   - VALIDATION: the field the server refused (co_client_error_get_field ())
 *   - THROTTLED:  seconds to wait (co_client_error_get_retry_after ())
 *   - any answer: the HTTP status and the wire "code" of the error body
 * Cancellation is never rewrapped: it stays G_IO_ERROR_CANCELLED.
 */
#pragma once

#include <glib.h>

#include "co-types.h"

G_BEGIN_DECLS

typedef enum
{
  CO_CLIENT_ERROR_NETWORK,          /* no connection, reset, truncated answer */
  CO_CLIENT_ERROR_TIMEOUT,          /* no complete answer within the timeout */
  CO_CLIENT_ERROR_TLS,              /* certificate not trusted, handshake failed */
  CO_CLIENT_ERROR_UNAUTHORIZED,     /* 401: wrong login, or token expired and not renewed */
  CO_CLIENT_ERROR_FORBIDDEN,        /* 403 */
  CO_CLIENT_ERROR_NOT_FOUND,        /* 404 (also: another school's student) */
  CO_CLIENT_ERROR_CONFLICT,         /* 409: a rule refused; see get_reason () */
  CO_CLIENT_ERROR_VALIDATION,       /* 422 invalid_field; see get_field () */
  CO_CLIENT_ERROR_THROTTLED,        /* 429; see get_retry_after () */
  CO_CLIENT_ERROR_SERVER,           /* 5xx */
  CO_CLIENT_ERROR_PROTOCOL,         /* an answer that breaks the contract; message names the field */
  CO_CLIENT_ERROR_TOO_LARGE,        /* 413: what we sent is too big (a photo) */
  CO_CLIENT_ERROR_INVALID_REQUEST,  /* 400, 422 idempotency_mismatch, a bad URL: a client bug */
  CO_CLIENT_ERROR_INSECURE,         /* a plain http:// server that is not this computer: refused */
} CoClientError;

#define CO_CLIENT_ERROR (co_client_error_quark ())
GQuark      co_client_error_quark            (void);

/* CO_REASON_NONE unless @error is a CONFLICT whose reason the model knows. */
CoReason    co_client_error_get_reason       (const GError *error);
/* The refused field of a VALIDATION error (dotted path, e.g. "phone"), or NULL. */
const char *co_client_error_get_field        (const GError *error);
/* Seconds the server asked to wait (Retry-After), 0 when not given. */
guint       co_client_error_get_retry_after  (const GError *error);
/* The HTTP status of the answer, 0 when there was none. */
guint       co_client_error_get_http_status  (const GError *error);
/* The "code" of the error body ("in_production", "invalid_field"...), or NULL. */
const char *co_client_error_get_wire_code    (const GError *error);

/* Is it worth trying the same request again later (network, timeout,
 * throttled, server)? The client already retried a few times. */
gboolean    co_client_error_is_transient     (const GError *error);

G_END_DECLS
