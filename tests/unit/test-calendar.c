/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoCalendar: the shipped data/holidays.ini, working-day arithmetic, and the
 * strict parser.
 */
#define G_LOG_DOMAIN "test-calendar"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "co-model.h"

static char *
holidays_path (void)
{
  const char *datadir = g_getenv ("CARD_OFFICE_DATADIR");

  if (datadir != NULL && *datadir != '\0')
    return g_build_filename (datadir, "holidays.ini", NULL);

  /* G_TEST_SRCDIR is tests/; the data lives beside it. */
  if (g_getenv ("G_TEST_SRCDIR") != NULL)
    return g_test_build_filename (G_TEST_DIST, "..", "data", "holidays.ini", NULL);

  /* Run by hand from the build tree */
  return g_build_filename (SOURCE_DATADIR, "holidays.ini", NULL);
}

static CoCalendar *
load_shipped (void)
{
  g_autofree char *path = holidays_path ();
  g_autoptr(GError) error = NULL;
  CoCalendar *calendar;

  calendar = co_calendar_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (calendar);
  return calendar;
}

static void
parse_iso (const char *text,
           GDate      *out)
{
  int y, m, d;

  g_assert_cmpint (sscanf (text, "%4d-%2d-%2d", &y, &m, &d), ==, 3);
  g_assert_true (g_date_valid_dmy (d, m, y));
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
}

static void
assert_date (const GDate *date,
             const char  *expected)
{
  char buf[16];

  g_assert_true (g_date_valid (date));
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", date);
  g_assert_cmpstr (buf, ==, expected);
}

/* The shipped file */

static void
test_shipped_years (void)
{
  g_autoptr(CoCalendar) calendar = load_shipped ();
  const int *years = co_calendar_get_years (calendar);

  g_assert_cmpint (years[0], ==, 2024);
  g_assert_cmpint (years[1], ==, 2025);
  g_assert_cmpint (years[2], ==, 2026);
  g_assert_cmpint (years[3], ==, 0);

  g_assert_true (co_calendar_has_year (calendar, 2025));
  g_assert_false (co_calendar_has_year (calendar, 2023));
  g_assert_false (co_calendar_has_year (calendar, 2027));
}

typedef enum
{
  WORK,    /* an ordinary working day */
  WEEKEND, /* an ordinary weekend day */
  HOLIDAY, /* 法定节假日 or a moved day off */
  MAKEUP,  /* 调休 working day on a weekend */
} DayType;

typedef struct
{
  const char *day;
  DayType     type;
} DaySample;

static const DaySample day_samples[] = {
  { "2024-01-01", HOLIDAY },  /* 元旦, Monday */
  { "2024-02-04", MAKEUP },   /* Sunday before 春节 */
  { "2024-02-09", WORK },     /* 除夕 was a working day in 2024 */
  { "2024-02-10", HOLIDAY },  /* 春节, first day (Saturday) */
  { "2024-02-17", HOLIDAY },  /* 春节, last day */
  { "2024-02-18", MAKEUP },   /* Sunday after */
  { "2024-02-19", WORK },
  { "2024-05-11", MAKEUP },
  { "2024-06-10", HOLIDAY },  /* 端午 */
  { "2024-09-14", MAKEUP },
  { "2024-09-29", MAKEUP },
  { "2024-10-07", HOLIDAY },
  { "2024-10-08", WORK },
  { "2024-10-12", MAKEUP },
  { "2024-10-13", WEEKEND },
  { "2025-01-25", WEEKEND },
  { "2025-01-26", MAKEUP },   /* Sunday before 春节 */
  { "2025-01-27", WORK },
  { "2025-01-28", HOLIDAY },  /* 除夕 */
  { "2025-02-04", HOLIDAY },
  { "2025-02-05", WORK },
  { "2025-02-08", MAKEUP },   /* Saturday after */
  { "2025-02-09", WEEKEND },
  { "2025-04-04", HOLIDAY },  /* 清明 */
  { "2025-04-07", WORK },
  { "2025-04-27", MAKEUP },
  { "2025-06-02", HOLIDAY },  /* 端午, Monday */
  { "2025-09-28", MAKEUP },
  { "2025-10-08", HOLIDAY },  /* 国庆+中秋, eighth day (Wednesday) */
  { "2025-10-09", WORK },
  { "2025-10-11", MAKEUP },
  { "2026-01-02", HOLIDAY },  /* 元旦, Friday */
  { "2026-01-04", MAKEUP },
  { "2026-02-14", MAKEUP },
  { "2026-02-23", HOLIDAY },  /* 春节, ninth day (Monday) */
  { "2026-02-24", WORK },
  { "2026-02-28", MAKEUP },
  { "2026-05-09", MAKEUP },
  { "2026-06-19", HOLIDAY },
  { "2026-09-20", MAKEUP },
  { "2026-10-10", MAKEUP },
  { "2026-11-25", WORK },
  { "2027-01-01", WORK },     /* no data for 2027: weekends only */
  { "2027-02-06", WEEKEND },
  { "2023-12-29", WORK },
};

static void
test_day_type (gconstpointer data)
{
  const DaySample *sample = data;
  g_autoptr(CoCalendar) calendar = load_shipped ();
  GDate day;

  parse_iso (sample->day, &day);

  g_assert_cmpint (co_calendar_is_holiday (calendar, &day), ==, sample->type == HOLIDAY);
  g_assert_cmpint (co_calendar_is_makeup_day (calendar, &day), ==, sample->type == MAKEUP);
  g_assert_cmpint (co_calendar_is_working_day (calendar, &day), ==,
                   sample->type == WORK || sample->type == MAKEUP);

  if (sample->type == MAKEUP)
    {
      GDateWeekday wd = g_date_get_weekday (&day);
      g_assert_true (wd == G_DATE_SATURDAY || wd == G_DATE_SUNDAY);
    }
}

/* Every make-up day of the shipped file falls on a weekend, and every
 * published year has its make-up days (the parser enforces the first; this
 * walks the whole range as a cross-check). */
static void
test_shipped_makeup_days_on_weekends (void)
{
  g_autoptr(CoCalendar) calendar = load_shipped ();
  GDate day;
  guint n_makeup = 0;
  guint n_holiday = 0;

  g_date_clear (&day, 1);
  for (g_date_set_dmy (&day, 1, 1, 2024); g_date_get_year (&day) <= 2026; g_date_add_days (&day, 1))
    {
      if (co_calendar_is_makeup_day (calendar, &day))
        {
          GDateWeekday wd = g_date_get_weekday (&day);

          g_assert_true (wd == G_DATE_SATURDAY || wd == G_DATE_SUNDAY);
          g_assert_false (co_calendar_is_holiday (calendar, &day));
          n_makeup++;
        }
      if (co_calendar_is_holiday (calendar, &day))
        n_holiday++;
    }

  /* 2024: 8, 2025: 5, 2026: 6 make-up days. */
  g_assert_cmpuint (n_makeup, ==, 8 + 5 + 6);
  /* 2024: 1+8+3+5+1+3+7, 2025: 1+8+3+5+3+8, 2026: 3+9+3+5+3+3+7 */
  g_assert_cmpuint (n_holiday, ==, 28 + 28 + 33);
}

/* Due dates, counted by hand */

typedef struct
{
  const char *path;
  const char *start;
  guint       n;
  const char *expected;
  gboolean    estimated;
} DueCase;

static const DueCase due_cases[] = {
  /* Mon 2025-01-20 + 20 across 春节 2025: 01-21..24 (4), Sun 01-26 makeup (5),
   * 01-27 (6), 01-28..02-04 off, 02-05..07 (9), Sat 02-08 makeup (10),
   * 02-10..14 (15), 02-17..21 (20). */
  { "spring-festival-2025", "2025-01-20", 20, "2025-02-21", FALSE },
  /* Fri 2024-09-27 + 20 across 国庆 2024: Sun 09-29 makeup (1), 09-30 (2),
   * 10-01..07 off, 10-08..11 (6), Sat 10-12 makeup (7), 10-14..18 (12),
   * 10-21..25 (17), 10-28..30 (20). */
  { "national-day-2024", "2024-09-27", 20, "2024-10-30", FALSE },
  /* Fri 2026-02-13 + 20: Sat 02-14 makeup (1), 02-15..23 off, 02-24..27 (5),
   * Sat 02-28 makeup (6), 03-02..06 (11), 03-09..13 (16), 03-16..19 (20). */
  { "spring-festival-2026", "2026-02-13", 20, "2026-03-19", FALSE },
  /* Fri 2025-09-26 + 20: Sun 09-28 (1), 09-29..30 (3), 10-01..08 off,
   * 10-09..10 (5), Sat 10-11 (6), 10-13..17 (11), 10-20..24 (16),
   * 10-27..30 (20). */
  { "national-day-2025", "2025-09-26", 20, "2025-10-30", FALSE },
  /* The first working day after a Friday before a makeup Sunday */
  { "next-is-makeup", "2024-09-27", 1, "2024-09-29", FALSE },
  /* Across New Year into 2026: Sun 2026-01-04 is a working day */
  { "new-year-2026", "2025-12-31", 1, "2026-01-04", FALSE },
  { "new-year-2026-20", "2025-12-31", 20, "2026-01-29", FALSE },
  /* Zero days: the start itself, even unknown years */
  { "zero", "2025-01-28", 0, "2025-01-28", FALSE },
  { "zero-2027", "2027-01-01", 0, "2027-01-01", FALSE },
  /* 2027: no data, weekends only; Mon + 20 = four weeks */
  { "2027-estimated", "2027-03-01", 20, "2027-03-29", TRUE },
  /* Crossing into 2027: 2026-12-21..25 (5), 12-28..31 (9), 2027-01-01 (10),
   * 01-04..08 (15), 01-11..15 (20). */
  { "into-2027-estimated", "2026-12-20", 20, "2027-01-15", TRUE },
  /* From 2023 (no data) into 2024: the weekend 12-30/31 of 2023 was
   * looked at without data (it might have held a makeup day). */
  { "from-2023-estimated", "2023-12-29", 1, "2024-01-02", TRUE },
  /* Starting on the last day of 2023 looks at 2024 only */
  { "from-2023-end", "2023-12-31", 1, "2024-01-02", FALSE },
  { "in-2023-estimated", "2023-12-27", 1, "2023-12-28", TRUE },
};

static void
test_due (gconstpointer data)
{
  const DueCase *dc = data;
  g_autoptr(CoCalendar) calendar = load_shipped ();
  GDate start, out;
  gboolean estimated = !dc->estimated;

  parse_iso (dc->start, &start);
  g_date_clear (&out, 1);
  co_calendar_add_working_days (calendar, &start, dc->n, &out, &estimated);
  assert_date (&out, dc->expected);
  g_assert_cmpint (estimated, ==, dc->estimated);

  /* estimated may be NULL */
  g_date_clear (&out, 1);
  co_calendar_add_working_days (calendar, &start, dc->n, &out, NULL);
  assert_date (&out, dc->expected);

  /* The same through the rule, for the reissue's 20 days */
  if (dc->n == CO_REISSUE_WORKING_DAYS)
    {
      estimated = !dc->estimated;
      g_date_clear (&out, 1);
      co_rules_reissue_due (calendar, &start, &out, &estimated);
      assert_date (&out, dc->expected);
      g_assert_cmpint (estimated, ==, dc->estimated);
    }
}

/* Empty calendar */

static void
test_empty (void)
{
  g_autoptr(CoCalendar) calendar = co_calendar_new ();
  GDate day, out;
  gboolean estimated = FALSE;

  g_assert_cmpint (co_calendar_get_years (calendar)[0], ==, 0);
  g_assert_false (co_calendar_has_year (calendar, 2025));

  /* 除夕 2025 is a Tuesday: an ordinary working day without data */
  parse_iso ("2025-01-28", &day);
  g_assert_true (co_calendar_is_working_day (calendar, &day));
  g_assert_false (co_calendar_is_holiday (calendar, &day));

  parse_iso ("2025-01-26", &day);
  g_assert_false (co_calendar_is_working_day (calendar, &day));
  g_assert_false (co_calendar_is_makeup_day (calendar, &day));

  parse_iso ("2025-01-20", &day);
  co_calendar_add_working_days (calendar, &day, 20, &out, &estimated);
  assert_date (&out, "2025-02-17");
  g_assert_true (estimated);

  /* Starting on a Saturday */
  parse_iso ("2025-02-01", &day);
  co_calendar_add_working_days (calendar, &day, 1, &out, &estimated);
  assert_date (&out, "2025-02-03");
  g_assert_true (estimated);
}

static void
test_empty_file (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) comments = g_bytes_new_static ("# nothing yet\n\n", 15);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoCalendar) calendar = co_calendar_new_from_bytes (bytes, &error);
  g_autoptr(CoCalendar) calendar2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (co_calendar_get_years (calendar)[0], ==, 0);

  calendar2 = co_calendar_new_from_bytes (comments, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_calendar_get_years (calendar2)[0], ==, 0);
}

/* A holiday that starts in the year before, as 元旦 2018 did */
static void
test_cross_year (void)
{
  static const char text[] =
    "[2018]\n"
    "source=test\n"
    "holidays = 2017-12-30..2018-01-01 ; 2018-02-15..2018-02-21\n"
    "workdays=2018-02-11;2018-02-24\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoCalendar) calendar = co_calendar_new_from_bytes (bytes, &error);
  GDate day, out;
  gboolean estimated = FALSE;

  g_assert_no_error (error);
  g_assert_true (co_calendar_has_year (calendar, 2018));
  g_assert_false (co_calendar_has_year (calendar, 2017));

  parse_iso ("2017-12-30", &day);
  g_assert_true (co_calendar_is_holiday (calendar, &day));
  parse_iso ("2018-01-01", &day);
  g_assert_true (co_calendar_is_holiday (calendar, &day));
  g_assert_false (co_calendar_is_working_day (calendar, &day));

  /* Fri 2017-12-29 + 1: the weekend, Mon 01-01 off, Tue 01-02; a day of
   * 2017 was looked at, so the answer is an estimate. */
  parse_iso ("2017-12-29", &day);
  co_calendar_add_working_days (calendar, &day, 1, &out, &estimated);
  assert_date (&out, "2018-01-02");
  g_assert_true (estimated);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoCalendar) calendar = NULL;

  calendar = co_calendar_new_from_file ("/nonexistent/holidays.ini", &error);
  g_assert_null (calendar);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* Malformed files */

typedef struct
{
  const char *path;
  const char *text;
  const char *message; /* a pattern the message must match */
} BadCase;

static const BadCase bad_cases[] = {
  { "bad-date", "[2025]\nholidays=2025-01-01;2025-02-30\n",
    "*[2025]*holidays*2025-02-30*" },
  { "bad-date-in-range", "[2025]\nholidays=2025-01-28..2025-02-30\n",
    "*[2025]*holidays*2025-01-28..2025-02-30*" },
  { "reversed-range", "[2025]\nholidays=2025-02-04..2025-01-28\n",
    "*[2025]*holidays*reversed*" },
  { "workday-on-wednesday", "[2025]\nholidays=2025-01-01\nworkdays=2025-01-26;2025-01-29\n",
    "*[2025]*workdays*2025-01-29*Saturday or Sunday*" },
  { "group-not-a-year", "[abc]\nholidays=2025-01-01\n",
    "*[abc]*not a year*" },
  { "group-five-digits", "[20255]\nholidays=2025-01-01\n",
    "*[20255]*not a year*" },
  { "group-year-zero", "[0000]\nholidays=0001-01-01\n",
    "*[0000]*not a year*" },
  { "second-group-bad", "[2025]\nholidays=2025-01-01\n[2026x]\nholidays=2026-01-01\n",
    "*[2026x]*" },
  { "no-holidays", "[2025]\nsource=x\nworkdays=2025-01-26\n",
    "*[2025]*holidays*" },
  { "empty-holidays", "[2025]\nholidays=\n",
    "*[2025]*holidays*" },
  { "unknown-key", "[2025]\nholidays=2025-01-01\nholiday=2025-01-02\n",
    "*[2025]*holiday*unknown*" },
  { "short-date", "[2025]\nholidays=2025-1-1\n",
    "*[2025]*holidays*2025-1-1*" },
  { "slashes", "[2025]\nholidays=2025/01/01\n",
    "*[2025]*holidays*" },
  { "trailing-garbage", "[2025]\nholidays=2025-01-01x\n",
    "*[2025]*holidays*" },
  { "open-range", "[2025]\nholidays=2025-01-28..\n",
    "*[2025]*holidays*" },
  { "empty-item", "[2025]\nholidays=2025-01-01;;2025-01-28\n",
    "*[2025]*holidays*empty*" },
  { "workday-range", "[2025]\nholidays=2025-01-01\nworkdays=2025-01-25..2025-01-26\n",
    "*[2025]*workdays*single*" },
  { "listed-twice", "[2025]\nholidays=2025-01-28..2025-02-04;2025-02-01\n",
    "*[2025]*holidays*2025-02-01*twice*" },
  { "holiday-and-workday", "[2025]\nholidays=2025-02-01\nworkdays=2025-02-01\n",
    "*[2025]*workdays*2025-02-01*" },
  { "far-year", "[2025]\nholidays=2052-01-01\n",
    "*[2025]*holidays*2052-01-01*" },
  { "range-too-long", "[2025]\nholidays=2025-01-01..2025-12-31\n",
    "*[2025]*holidays*too long*" },
  { "not-a-key-file", "holidays=2025-01-01\n",
    "*" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *bc = data;
  g_autoptr(GBytes) bytes = g_bytes_new_static (bc->text, strlen (bc->text));
  g_autoptr(GError) error = NULL;
  g_autoptr(CoCalendar) calendar = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CoCalendar) from_file = NULL;
  g_autoptr(GError) file_error = NULL;

  calendar = co_calendar_new_from_bytes (bytes, &error);
  g_assert_null (calendar);
  g_assert_error (error, CO_CALENDAR_ERROR, CO_CALENDAR_ERROR_PARSE);
  if (!g_pattern_match_simple (bc->message, error->message))
    g_error ("“%s” does not match “%s”", error->message, bc->message);

  /* The same from a file: the message names the file too. */
  path = g_build_filename (g_get_tmp_dir (), "test-calendar-XXXXXX.ini", NULL);
  {
    int fd = g_mkstemp (path);

    g_assert_cmpint (fd, >=, 0);
    close (fd);
  }
  g_assert_true (g_file_set_contents (path, bc->text, -1, NULL));
  from_file = co_calendar_new_from_file (path, &file_error);
  g_assert_null (from_file);
  g_assert_error (file_error, CO_CALENDAR_ERROR, CO_CALENDAR_ERROR_PARSE);
  g_assert_nonnull (strstr (file_error->message, "test-calendar-"));
  g_assert_nonnull (strstr (file_error->message, error->message));
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/calendar/shipped/years", test_shipped_years);
  g_test_add_func ("/core/calendar/shipped/makeup-days-on-weekends",
                   test_shipped_makeup_days_on_weekends);

  for (guint i = 0; i < G_N_ELEMENTS (day_samples); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/calendar/day/%s", day_samples[i].day);
      g_test_add_data_func (path, &day_samples[i], test_day_type);
    }

  for (guint i = 0; i < G_N_ELEMENTS (due_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/calendar/due/%s", due_cases[i].path);
      g_test_add_data_func (path, &due_cases[i], test_due);
    }

  g_test_add_func ("/core/calendar/empty", test_empty);
  g_test_add_func ("/core/calendar/empty-file", test_empty_file);
  g_test_add_func ("/core/calendar/cross-year", test_cross_year);
  g_test_add_func ("/core/calendar/missing-file", test_missing_file);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/calendar/malformed/%s", bad_cases[i].path);
      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }

  return g_test_run ();
}
