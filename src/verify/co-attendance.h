/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * co-attendance: an event's attendance from its check-ins in the store, as
 * CSV (UTF-8, CRLF, RFC 4180 quoting), one row per student:
 *
 *   edu_id,name,grade,class,status,time,result
 *
 * status is present (a valid check-in, at its first time), refused
 * (only refused attempts: time and result of the last) or absent (on the
 * event's list, never seen). Without a list, students never seen are not
 * listed. Refused cards of nobody (unknown) come last with an empty
 * edu_id. The core holds no words: the caller gives the column titles,
 * the status words and a function that words a result (a verdict's
 * machine word, "valid", "lost"...). Without them (@text NULL, or a NULL
 * entry) the machine words above are written. Cells that start with
 * = + - @ are written as text (no formula injection).
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

typedef enum
{
  CO_ATTENDANCE_PRESENT,
  CO_ATTENDANCE_ABSENT,
  CO_ATTENDANCE_REFUSED,
  CO_ATTENDANCE_N_STATUSES
} CoAttendanceStatus;

typedef enum
{
  CO_ATTENDANCE_COLUMN_EDU_ID,
  CO_ATTENDANCE_COLUMN_NAME,
  CO_ATTENDANCE_COLUMN_GRADE,
  CO_ATTENDANCE_COLUMN_CLASS,
  CO_ATTENDANCE_COLUMN_STATUS,
  CO_ATTENDANCE_COLUMN_TIME,
  CO_ATTENDANCE_COLUMN_RESULT,
  CO_ATTENDANCE_N_COLUMNS
} CoAttendanceColumn;

/* Returns a newly allocated text for @result (a verdict's machine word),
 * or NULL: the machine word is written. */
typedef char *(*CoAttendanceResultFunc) (const char *result,
                                         gpointer    user_data);

typedef struct
{
  const char             *headers[CO_ATTENDANCE_N_COLUMNS];
  const char             *statuses[CO_ATTENDANCE_N_STATUSES];
  CoAttendanceResultFunc  result_func;  /* nullable */
  gpointer                user_data;
} CoAttendanceText;

/* Main thread (the store's). @text, @counts nullable. */
gboolean  co_attendance_write_csv (CoStore                 *store,
                                   CoEvent                 *event,
                                   const CoAttendanceText  *text,
                                   GOutputStream           *out,
                                   CoAttendanceCounts      *counts,
                                   GCancellable            *cancellable,
                                   GError                 **error);

G_END_DECLS
