/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The session token in the Secret Service (GNOME Keyring, KWallet...) when
 * one answers on the session bus, so that a restart keeps the session;
 * without one the token stays in memory only. Never in a file of ours.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Whether a session bus is there to ask (no bus is started for it). */
gboolean  co_secret_token_available   (void);
/* Fire and forget; failures are logged (without the token). */
void      co_secret_token_save        (const char           *server,
                                       const char           *username,
                                       const char           *token);
void      co_secret_token_forget      (const char           *server);
void      co_secret_token_load_async  (const char           *server,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
/* The token, or NULL (none, or no Secret Service). */
char     *co_secret_token_load_finish (GAsyncResult         *result,
                                       char                **username,
                                       GError              **error);

G_END_DECLS
