/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoReader: an NFC card reader watched through libnfc on a worker thread.
 *
 * The worker opens the reader (the connstring given, or the first one
 * nfc_list_devices() finds), polls the field with short bounded timeouts
 * and, while a card is held, checks that it is still there. Everything it
 * finds is posted to the GMainContext that was the thread-default one when
 * the CoReader was made; the signals are emitted there, never on the worker.
 * Call the functions below from that context's thread too.
 *
 * Signals:
 *  - card-presented (CoCardTap *tap): once per tap; a card held on the
 *    reader does not fire again, taking it away and back does.
 *  - card-removed (CoCardTap *tap): the card presented last left the field.
 *  - read-failed (GError *error): a card was seen but left before it could
 *    be read (CO_CARD_ERROR_CARD_REMOVED) or could not be read (IO).
 *  - reader-found (const char *connstring): a reader is open and polling.
 *  - reader-lost (GError *error): no usable reader any more (unplugged,
 *    stopped answering) or, right after co_reader_start(), none could be
 *    opened (NO_READER, READER_BUSY, PERMISSION_DENIED). The worker keeps
 *    trying to open it again and emits reader-found when it succeeds.
 *    While the reader is missing, the reason may change (busy, then
 *    unplugged): the "error" property follows, with notify.
 */
#pragma once

#include <gio/gio.h>

#include "co-card-tap.h"

G_BEGIN_DECLS

#define CO_CARD_ERROR (co_card_error_quark ())
GQuark co_card_error_quark (void);

/* Messages are English, for logs; the app words them by code. */
typedef enum
{
  CO_CARD_ERROR_NO_READER,         /* none plugged in / nothing answers at the connstring */
  CO_CARD_ERROR_READER_BUSY,       /* held by another program: pcscd, the pn533 module... */
  CO_CARD_ERROR_PERMISSION_DENIED, /* the device node cannot be opened by this user */
  CO_CARD_ERROR_READER_LOST,       /* was working, then unplugged or stopped answering */
  CO_CARD_ERROR_CARD_REMOVED,      /* the card left the field before it was read */
  CO_CARD_ERROR_IO,                /* anything else libnfc reports */
} CoCardError;

#define CO_TYPE_READER (co_reader_get_type ())
G_DECLARE_FINAL_TYPE (CoReader, co_reader, CO, READER, GObject)

CoReader     *co_reader_new            (const char           *connstring);

const char   *co_reader_get_connstring (CoReader             *self);
void          co_reader_set_connstring (CoReader             *self,
                                        const char           *connstring);
gboolean      co_reader_get_running    (CoReader             *self);
gboolean      co_reader_get_connected  (CoReader             *self);
const char   *co_reader_get_device     (CoReader             *self);
const GError *co_reader_get_error      (CoReader             *self);

void          co_reader_start          (CoReader             *self);
void          co_reader_stop           (CoReader             *self);
void          co_reader_stop_async     (CoReader             *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean      co_reader_stop_finish    (CoReader             *self,
                                        GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
