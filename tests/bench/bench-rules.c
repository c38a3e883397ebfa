/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Benchmark of the rules core: the due-date computation (20 working days over
 * the official calendar) and the action checks the UI runs for every button
 * of a student page. Prints BENCH lines (medians of repeated rounds).
 */
#define G_LOG_DOMAIN "co-bench"

#include "config.h"

#include <stdlib.h>

#include "co-data.h"
#include "co-calendar.h"
#include "co-rules.h"

#define ROUNDS 9

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v,
        int     n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return v[n / 2];
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = co_data_find_file ("holidays.ini");
  g_autoptr(CoCalendar) calendar = NULL;
  double due_us[ROUNDS], check_ns[ROUNDS];
  const int n_due = 20000;
  const int n_check = 2000000;
  volatile guint sink = 0;

  if (path == NULL || !(calendar = co_calendar_new_from_file (path, &error)))
    {
      g_printerr ("bench-rules: no holiday calendar (%s)\n", error ? error->message : "not found");
      return 1;
    }

  for (int r = 0; r < ROUNDS; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      GDate paid, due;

      g_date_clear (&paid, 1);
      g_date_set_dmy (&paid, 1, 1, 2024);
      for (int i = 0; i < n_due; i++)
        {
          gboolean estimated;

          co_rules_reissue_due (calendar, &paid, &due, &estimated);
          sink += g_date_get_julian (&due);
          if (i % 7 == 6)
            g_date_add_days (&paid, 1);
        }
      due_us[r] = (double) (g_get_monotonic_time () - t0) / n_due;

      t0 = g_get_monotonic_time ();
      for (int i = 0; i < n_check; i++)
        {
          CoCase c = {
            .card = i % 4,
            .reissue = i % 9,
            .delivery = i % 2,
          };
          sink += co_rules_check (i % 10, &c);
        }
      check_ns[r] = (double) (g_get_monotonic_time () - t0) * 1000.0 / n_check;
    }

  g_print ("BENCH rules.due_date %.2f us\n", median (due_us, ROUNDS));
  g_print ("BENCH rules.check %.1f ns\n", median (check_ns, ROUNDS));
  return sink == 0xdeadbeef;
}
