/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoCalendar: China's official working-day calendar (public holidays and
 * make-up working days, 调休), read from a key file such as
 * data/holidays.ini. A year the file does not cover counts weekends only.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CO_CALENDAR_ERROR (co_calendar_error_quark ())
GQuark co_calendar_error_quark (void);

typedef enum
{
  CO_CALENDAR_ERROR_PARSE, /* a malformed line, date or range: message names group and key */
} CoCalendarError;

#define CO_TYPE_CALENDAR (co_calendar_get_type ())
G_DECLARE_FINAL_TYPE (CoCalendar, co_calendar, CO, CALENDAR, GObject)

CoCalendar *co_calendar_new              (void); /* empty: weekends only */
CoCalendar *co_calendar_new_from_bytes   (GBytes       *bytes,
                                          GError      **error);
CoCalendar *co_calendar_new_from_file    (const char   *path,
                                          GError      **error);

/* Does the file publish this year? */
gboolean    co_calendar_has_year         (CoCalendar   *self,
                                          int           year);
/* Sorted list of the years covered, terminated by 0; owned by @self. */
const int  *co_calendar_get_years        (CoCalendar   *self);

gboolean    co_calendar_is_working_day   (CoCalendar   *self,
                                          const GDate  *day);
/* Public holiday (法定节假日, including the days moved by 调休)? */
gboolean    co_calendar_is_holiday       (CoCalendar   *self,
                                          const GDate  *day);
/* Official make-up working day on a weekend? */
gboolean    co_calendar_is_makeup_day    (CoCalendar   *self,
                                          const GDate  *day);

/* @start plus @n working days (the day of @start itself not counted).
 * *@estimated (may be NULL) is set TRUE when any day counted lies in a year
 * without data. */
void        co_calendar_add_working_days (CoCalendar   *self,
                                          const GDate  *start,
                                          guint         n,
                                          GDate        *out,
                                          gboolean     *estimated);

G_END_DECLS
