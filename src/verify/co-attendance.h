/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * co-attendance: an event's attendance from its check-ins in the store, as
 * CSV (UTF-8, CRLF, RFC 4180 quoting), one row per student:
 *
 *   edu_id,name,grade,class,status,time,result
 *
 * status is "present" (a valid check-in, at its first time), "refused"
 * (only refused attempts: time and result of the last) or "absent" (on the
 * event's list, never seen). Without a list, students never seen are not
 * listed. Refused cards of nobody (unknown) come last with an empty
 * edu_id. The header and words are machine words; the app may translate
 * them for display.
 */
#pragma once

#include <gio/gio.h>

#include "co-event.h"
#include "co-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint present;
  guint absent;
  guint refused;
} CoAttendanceCounts;

/* Main thread (the store's). @counts nullable. */
gboolean  co_attendance_write_csv (CoStore             *store,
                                   CoEvent             *event,
                                   GOutputStream       *out,
                                   CoAttendanceCounts  *counts,
                                   GCancellable        *cancellable,
                                   GError             **error);

G_END_DECLS
