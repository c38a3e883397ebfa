/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * A raw HTTP/1.1 server on 127.0.0.1 for canned-answer tests: it answers
 * each request with the next canned bytes, exactly as given (so a wrong
 * Content-Length or a cut connection can be staged), or never, or with an
 * endless chunked body. Runs on the thread-default main context.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CANNED_REPLY,          /* write the bytes, then close */
  CANNED_NEVER,          /* read the request, say nothing, keep the connection */
  CANNED_ENDLESS,        /* 200, chunked, body without end */
} CannedKind;

typedef struct _CannedServer CannedServer;

CannedServer *canned_server_new            (void);
void          canned_server_free           (CannedServer *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CannedServer, canned_server_free)

/* http://127.0.0.1:PORT */
const char   *canned_server_get_url        (CannedServer *self);

/* Queue the answer to the next request; the last one is repeated. */
void          canned_server_push           (CannedServer *self,
                                            CannedKind    kind,
                                            const char   *raw);
/* A complete answer: status line, Content-Type, Content-Length, body. */
void          canned_server_push_json      (CannedServer *self,
                                            guint         status,
                                            const char   *extra_headers,
                                            const char   *body);

guint         canned_server_get_n_requests (CannedServer *self);
/* The head (request line and headers) of request @i, or NULL. */
const char   *canned_server_get_request    (CannedServer *self,
                                            guint         i);
/* A header of request @i (case-insensitive name), or NULL; free it. */
char         *canned_server_get_header     (CannedServer *self,
                                            guint         i,
                                            const char   *name);

G_END_DECLS
